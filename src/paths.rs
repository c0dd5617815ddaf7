//! Where stackmap keeps things: the config dir (user questionnaires and profiles) and the
//! data dir (assessments, snapshots). `STACKMAP_HOME` (or `--home`) puts both under one
//! folder — `config/` and `data/` — which tests and portable installs use.

use std::path::{Path, PathBuf};

/// The config and data directories in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Dirs {
    /// `home` when given (from `--home` / `STACKMAP_HOME`), otherwise the platform's
    /// directories (`directories`). `None` when neither can be found (no home directory).
    pub fn resolve(home: Option<&Path>) -> Option<Dirs> {
        if let Some(home) = home {
            return Some(Dirs {
                config: home.join("config"),
                data: home.join("data"),
            });
        }
        let p = directories::ProjectDirs::from("", "", "stackmap")?;
        Some(Dirs {
            config: p.config_dir().to_path_buf(),
            data: p.data_dir().to_path_buf(),
        })
    }

    /// User questionnaires: `<config>/questionnaires/*.toml`.
    pub fn questionnaires(&self) -> PathBuf {
        self.config.join("questionnaires")
    }

    /// User profiles: `<config>/profiles/*.toml`.
    pub fn profiles(&self) -> PathBuf {
        self.config.join("profiles")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_overrides_both_dirs() {
        let d = Dirs::resolve(Some(Path::new("/tmp/h"))).expect("home given");
        assert_eq!(d.config, Path::new("/tmp/h/config"));
        assert_eq!(d.data, Path::new("/tmp/h/data"));
        assert_eq!(
            d.questionnaires(),
            Path::new("/tmp/h/config/questionnaires")
        );
    }
}

//! What a write does to whatever sits at its target path (docs/RELIABILITY.md, section 1):
//! devices and FIFOs given to `-o` are written to as streams and stay what they were; a
//! symlinked assessment is written at the link's target and the link stays; directories and
//! sockets are refused; new files get the umask and existing ones keep their mode and owner;
//! a file whose mode bits say read-only is never written, by a command or by the screen; and
//! thirty racing snapshots under one label leave one snapshot and one success.
//!
//! CI runs as root, where every write would succeed: read-only is judged from the mode bits.
#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::{lossy, path_str as s, run, setup, stackmap};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").mode() & 0o7777
}

/// Waits for a child, killing it (and failing) after `secs`: no test here can hang.
fn wait(mut child: Child, secs: u64, what: &str) -> Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn answer_args<'a>(f: &'a str, note: &'a str) -> Vec<&'a str> {
    vec![
        "answer",
        f,
        "--questionnaire",
        "flow-contract",
        "--subject",
        "orders-to-erp",
        "--question",
        "retries",
        "--unknown",
        "--note",
        note,
    ]
}

/// A character device node of our own with /dev/null's numbers (1, 3), so the test can show a
/// device replaced without risking the system's /dev/null; /dev/null itself when nodes cannot
/// be made (not root).
fn private_null(dir: &Path) -> PathBuf {
    let node = dir.join("null");
    let c = std::ffi::CString::new(s(&node)).expect("no NUL");
    // SAFETY: a valid NUL-terminated path; mknod only creates a node there.
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
    if made == 0 {
        node
    } else {
        PathBuf::from("/dev/null")
    }
}

fn is_char_device(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

#[test]
fn a_device_given_to_out_is_written_as_a_stream_never_replaced() {
    let (home, _file, f) = setup();
    let node = private_null(home.path());
    let n = s(&node).to_string();
    for args in [
        vec!["report", &f, "-o", &n],
        vec!["map", &f, "-o", &n],
        vec!["demo", "--out", &n, "--force"],
        vec!["demo", "--out", &n],
    ] {
        let out = run(home.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", lossy(&out.stderr));
        assert!(
            is_char_device(&node),
            "{args:?} replaced the device {n} with a regular file"
        );
    }
    // The system's /dev/null too (CI runs as root, where a rename over it would succeed).
    let out = run(home.path(), &["report", &f, "-o", "/dev/null"]);
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert!(is_char_device(Path::new("/dev/null")), "/dev/null replaced");

    // `-o -` is stdout; a symlink to /proc/self/fd/1 is stdout too, and stays a symlink.
    let out = run(home.path(), &["map", &f, "-o", "-"]);
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert!(
        lossy(&out.stdout).contains("flowchart"),
        "{}",
        lossy(&out.stdout)
    );
    assert!(
        !home.path().join("-").exists(),
        "`-o -` made a file named -"
    );
    let link = home.path().join("to-stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).expect("symlink");
    let out = run(home.path(), &["map", &f, "-o", s(&link)]);
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert!(
        lossy(&out.stdout).contains("flowchart"),
        "{}",
        lossy(&out.stdout)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("still there")
            .file_type()
            .is_symlink(),
        "the link to /proc/self/fd/1 was replaced"
    );
}

#[test]
fn a_fifo_given_to_out_is_written_as_a_stream_never_replaced() {
    use std::os::unix::fs::OpenOptionsExt;
    let (home, _file, f) = setup();
    let fifo = home.path().join("pipe");
    let c = std::ffi::CString::new(s(&fifo)).expect("no NUL");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
    // The reader opens without blocking (a FIFO with no writer yet reads as empty), so nothing
    // here can hang whatever the writer does.
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .expect("open the FIFO for reading");
    let child = stackmap(home.path())
        .args(["report", &f, "-o", s(&fifo)])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut buf = [0u8; 65536];
    let mut child = Some(child);
    let mut status = None;
    while Instant::now() < deadline {
        match reader.read(&mut buf) {
            Ok(0) if status.is_some() => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("reading the FIFO: {e}"),
        }
        if let Some(c) = child.as_mut()
            && let Some(st) = c.try_wait().expect("try_wait")
        {
            status = Some(st);
            let c = child.take().expect("child");
            let out = c.wait_with_output().expect("output");
            assert!(st.success(), "report -o FIFO: {}", lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    if let Some(mut c) = child {
        let _ = c.kill();
        let _ = c.wait();
        panic!("report -o FIFO still running after 60 s");
    }
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("still there")
            .file_type()
            .is_fifo(),
        "the FIFO was replaced by a regular file"
    );
    let text = String::from_utf8_lossy(&got);
    assert!(
        text.contains("Northwind"),
        "the report came through: {text:?}"
    );
}

#[test]
fn directories_and_sockets_given_to_out_are_refused_and_left_alone() {
    let (home, _file, f) = setup();
    let dir = home.path().join("reports");
    std::fs::create_dir(&dir).expect("mkdir");
    let out = run(home.path(), &["report", &f, "-o", s(&dir)]);
    assert_eq!(out.status.code(), Some(2));
    let err = lossy(&out.stderr);
    assert!(
        err.contains("is a directory") && err.contains("file name"),
        "{err}"
    );
    assert!(dir.is_dir());

    let sock = home.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).expect("bind");
    let out = run(home.path(), &["map", &f, "-o", s(&sock)]);
    assert_eq!(out.status.code(), Some(2), "{}", lossy(&out.stderr));
    assert!(
        lossy(&out.stderr).contains("socket"),
        "{}",
        lossy(&out.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&sock)
            .expect("still there")
            .file_type()
            .is_socket(),
        "the socket was replaced"
    );
}

#[test]
fn a_symlinked_assessment_is_written_at_its_target_and_the_link_stays() {
    let (home, file, _) = setup();
    let real_dir = home.path().join("real");
    std::fs::create_dir(&real_dir).expect("mkdir");
    let real = real_dir.join("a.toml");
    std::fs::rename(&file, &real).expect("move");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    // Owned by someone else (as root, which CI is): the owner is kept too.
    // SAFETY: a valid NUL-terminated path.
    let chowned = unsafe {
        libc::chown(
            std::ffi::CString::new(s(&real)).expect("no NUL").as_ptr(),
            4321,
            4321,
        )
    } == 0;
    let link = home.path().join("a.toml");
    // A relative link, as `ln -s real/a.toml a.toml` makes.
    std::os::unix::fs::symlink("real/a.toml", &link).expect("symlink");
    let out = run(home.path(), &answer_args(s(&link), "through the link"));
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    let m = std::fs::symlink_metadata(&link).expect("link");
    assert!(
        m.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert!(
        std::fs::read_to_string(&real)
            .expect("read")
            .contains("through the link"),
        "the real file got the answer"
    );
    assert_eq!(mode(&real), 0o640, "the real file keeps its mode");
    if chowned {
        let m = std::fs::metadata(&real).expect("metadata");
        assert_eq!((m.uid(), m.gid()), (4321, 4321), "and its owner");
    }
    // The lock lives beside the real file, and no temporary file is left anywhere.
    assert!(
        real_dir.join(".a.toml.lock").exists(),
        "lock beside the target"
    );
    assert!(
        !home.path().join(".a.toml.lock").exists(),
        "no lock beside the link"
    );

    // A snapshot of the linked file reads through the link; the report through a link to a
    // regular file lands in that file, whose mode is kept.
    let out = run(home.path(), &["snapshot", s(&link), "--label", "linked"]);
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    let target = home.path().join("report.md");
    std::fs::write(&target, "old").expect("write");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let report_link = home.path().join("latest.md");
    std::os::unix::fs::symlink(&target, &report_link).expect("symlink");
    let out = run(home.path(), &["report", s(&link), "-o", s(&report_link)]);
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert!(
        std::fs::symlink_metadata(&report_link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .expect("read")
            .contains("Northwind")
    );
    assert_eq!(mode(&target), 0o600);

    // A dangling link: the file is created at its target.
    let dangling = home.path().join("next.md");
    std::os::unix::fs::symlink("real/next.md", &dangling).expect("symlink");
    let out = run(home.path(), &["map", s(&link), "-o", s(&dangling)]);
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert!(
        std::fs::symlink_metadata(&dangling)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(real_dir.join("next.md").is_file());
}

#[test]
fn new_files_get_the_umask_and_existing_files_keep_their_mode() {
    let (home, file, f) = setup();
    let made = home.path().join("made.md");
    let mut c = stackmap(home.path());
    c.args(["report", &f, "-o", s(&made)]);
    // SAFETY: umask is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0o027);
            Ok(())
        });
    }
    let out = c.output().expect("runs");
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert_eq!(mode(&made), 0o640, "0666 under umask 027");

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o604)).expect("chmod");
    let out = run(home.path(), &answer_args(&f, "kept mode"));
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert_eq!(mode(&file), 0o604);
}

#[test]
fn a_read_only_file_is_never_written_by_a_command() {
    let (home, file, f) = setup();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&file).expect("read");
    let systems = std::fs::canonicalize("tests/fixtures/import/good/systems.csv").expect("csv");
    for args in [
        answer_args(&f, "must not land"),
        vec!["import", &f, "--systems", s(&systems)],
    ] {
        let out = run(home.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            lossy(&out.stderr)
        );
        let err = lossy(&out.stderr);
        assert!(
            err.contains("read-only") && err.contains(&format!("chmod u+w {f}")),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::read(&file).expect("read"), before, "{args:?}");
        assert_eq!(mode(&file), 0o444);
    }

    // An existing read-only `-o` target, and a read-only demo file even with --force.
    let target = home.path().join("report.md");
    std::fs::write(&target, "keep me").expect("write");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let demo = home.path().join("demo.toml");
    std::fs::write(&demo, "keep me").expect("write");
    std::fs::set_permissions(&demo, std::fs::Permissions::from_mode(0o400)).expect("chmod");
    for args in [
        vec!["report", &f, "-o", s(&target)],
        vec!["map", &f, "-o", s(&target)],
        vec!["report", &f, "-o", s(&target), "--force"],
        vec!["demo", "--out", s(&demo), "--force"],
    ] {
        let out = run(home.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            lossy(&out.stderr)
        );
        assert!(
            lossy(&out.stderr).contains("chmod u+w"),
            "{}",
            lossy(&out.stderr)
        );
    }
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
    assert_eq!(std::fs::read_to_string(&demo).expect("read"), "keep me");

    // Made writable again, as the message says, the answer lands.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = run(home.path(), &answer_args(&f, "now it lands"));
    assert!(out.status.success(), "{}", lossy(&out.stderr));
}

#[test]
fn thirty_racing_snapshots_under_one_label_leave_one_file_and_one_success() {
    let (home, file, f) = setup();
    let n = 30;
    let children: Vec<Child> = (0..n)
        .map(|_| {
            stackmap(home.path())
                .args(["snapshot", &f, "--label", "same"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawns")
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| wait(c, 120, "snapshot"))
        .collect();
    let ok: Vec<&Output> = outs.iter().filter(|o| o.status.success()).collect();
    let refused: Vec<&Output> = outs.iter().filter(|o| o.status.code() == Some(2)).collect();
    eprintln!(
        "race: {n} concurrent snapshots, {} succeeded, {} refused",
        ok.len(),
        refused.len()
    );
    assert_eq!(ok.len(), 1, "exactly one snapshot is acknowledged");
    assert_eq!(refused.len(), n - 1, "the others exit 2");
    for o in &refused {
        let err = lossy(&o.stderr);
        assert!(
            err.contains("already exists") && err.contains("choose another label"),
            "{err}"
        );
    }
    let dir = home.path().join("northwind.snapshots");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .expect("folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    assert_eq!(files, vec!["same.toml".to_string()], "one file survives");
    let printed = lossy(&ok[0].stdout);
    assert_eq!(printed.trim(), s(&dir.join("same.toml")));
    let _ = file;
}

#[test]
fn the_screen_opens_a_read_only_file_read_only_and_never_writes_it() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let (home, file, f) = setup();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&file).expect("read");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_stackmap"));
    cmd.args(["open", &f]);
    cmd.env("STACKMAP_HOME", home.path());
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).expect("spawns");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut writer = pty.master.take_writer().expect("writer");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(24).expect("rows"),
        std::num::NonZeroU16::new(80).expect("cols"),
        0,
    );
    let mut wait_for = |want: &str, parser: &mut vt100::Parser| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !parser.screen().contents().contains(want) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                let _ = child.kill();
                panic!(
                    "timed out waiting for {want:?}; screen:\n{}",
                    parser.screen().contents()
                );
            }
            if let Ok(bytes) = rx.recv_timeout(left.min(Duration::from_millis(200))) {
                parser.process(&bytes);
            }
        }
    };
    wait_for("READ-ONLY", &mut parser);
    // A key that answers in a writable session changes nothing here.
    writer.write_all(b"2").expect("write");
    writer.flush().expect("flush");
    wait_for("read-only", &mut parser);
    writer.write_all(b"q").expect("write");
    writer.flush().expect("flush");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the screen did not quit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(std::fs::read(&file).expect("read"), before);
    assert_eq!(mode(&file), 0o444);
    assert!(
        !home.path().join(".northwind.toml.lock").exists(),
        "a file read-only on disk is not locked either"
    );
}

//! The jump list, as in editors: a jump (a search hit followed, a question opened from the
//! decisions, the map, the diff or the open questions, `{` and `}`, `n`) leaves the place it
//! left on a list; `Ctrl-o` goes back to it, and the forward key forward again. Moving by a
//! question (`←`, `→`) or answering is not a jump.

use super::action::Do;
use super::keymap::{self, Context};
use super::state::{App, JUMPS_KEPT, Place, Position, Screen};

/// Where the user is: the screen, and on the interview the question.
pub fn here(app: &App) -> Option<Place> {
    let s = app.session.as_ref()?;
    Some(Place {
        screen: app.screen,
        question: if app.screen == Screen::Interview {
            s.current().map(Position::of)
        } else {
            None
        },
    })
}

/// After a jump from `before`: keeps it on the list (when the jump went anywhere) and forgets
/// the places gone back from.
pub fn jumped(app: &mut App, before: Option<Place>) {
    let now = here(app);
    let (Some(before), Some(s)) = (before, app.session.as_mut()) else {
        return;
    };
    if now.as_ref() == Some(&before) {
        return;
    }
    s.jumps.forward.clear();
    if s.jumps.back.last() != Some(&before) {
        s.jumps.back.push(before);
    }
    if s.jumps.back.len() > JUMPS_KEPT {
        s.jumps.back.remove(0);
    }
}

/// `Ctrl-o` (back) or the forward key: to the last place on that side of the list, leaving
/// where the user is on the other side. True when it went somewhere (the dispatcher then
/// does what arriving on the screen needs).
pub fn go(app: &mut App, back: bool) -> bool {
    let Some(now) = here(app) else {
        return false;
    };
    let Some(s) = app.session.as_mut() else {
        return false;
    };
    let (from, to) = if back {
        (&mut s.jumps.back, &mut s.jumps.forward)
    } else {
        (&mut s.jumps.forward, &mut s.jumps.back)
    };
    let Some(place) = from.pop() else {
        app.status = if back {
            "no jump to go back from".into()
        } else {
            "nothing to go forward to".into()
        };
        return false;
    };
    to.push(now);
    if to.len() > JUMPS_KEPT {
        to.remove(0);
    }
    if let Some(p) = &place.question
        && let Some(k) = s
            .asked
            .iter()
            .position(|&i| p.matches(&s.eval.questions[i]))
    {
        s.cursor = k;
        s.sync_option(&app.content);
    }
    app.screen = place.screen;
    app.status = if back {
        format!(
            "back to where you were · {} forward again",
            keymap::key(Context::Global, Do::JumpForward)
        )
    } else {
        format!(
            "forward again · {} back",
            keymap::key(Context::Global, Do::JumpBack)
        )
    };
    true
}

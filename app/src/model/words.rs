//! Counted words as people write them.

/// "1 ticket", "2 tickets" (`many` for any count but one).
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "ticket", "tickets"), "1 ticket");
        assert_eq!(count(2, "ticket", "tickets"), "2 tickets");
        assert_eq!(count(0, "ticket", "tickets"), "0 tickets");
    }
}

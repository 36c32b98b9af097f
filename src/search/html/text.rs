//! The indexed text's words: splitting, entity decoding and whitespace collapsing the way
//! Pagefind normalises content, and removing the anchor and weight markers.

use std::borrow::Cow;

/// Characters after which a closing block gets a full stop, so excerpts read as sentences.
pub(super) fn sentence_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\'' | '"' | ')' | '$' | '*')
        || unicode_normalization::char::is_combining_mark(c)
}

/// Decode entities, trim, turn line breaks into spaces and collapse runs of whitespace:
/// Pagefind's `normalize_content` (which replaces `(\n|\r\n)+` with a space, then `\s{2,}`
/// with a space) in one pass. A whitespace run of two or more characters becomes a space
/// either way; a single one stays as it is, unless it is a line break.
pub fn normalize_content(s: &str) -> String {
    let decoded = if memchr::memchr(b'&', s.as_bytes()).is_some() {
        html_escape::decode_html_entities(s)
    } else {
        Cow::Borrowed(s)
    };
    let trimmed = decoded.trim_matches(char::is_whitespace);
    let mut out = String::with_capacity(trimmed.len());
    if trimmed.is_ascii() {
        let b = trimmed.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let run = b[i..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || *c == 0x0b)
                .unwrap_or(b.len() - i);
            out.push_str(&trimmed[i..i + run]);
            i += run;
            if i == b.len() {
                break;
            }
            let spaces = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace() || **c == 0x0b)
                .count();
            out.push(if spaces > 1 || b[i] == b'\n' {
                ' '
            } else {
                b[i] as char
            });
            i += spaces;
        }
        return out;
    }
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_whitespace() {
            out.push(c);
        } else if chars.peek().is_some_and(|n| n.is_whitespace()) {
            while chars.next_if(|n| n.is_whitespace()).is_some() {}
            out.push(' ');
        } else {
            out.push(if c == '\n' { ' ' } else { c });
        }
    }
    out
}

/// Call `f` with each word of `text` (as [`Parsed::text`] holds it), entities decoded: the
/// words of [`normalize_content`]'s result, without building it. Decoding word by word gives
/// the same words, because a character reference never spans whitespace (`&` … `;` with a
/// name or number inside), while a decoded one may hold whitespace (`&nbsp;`), so decoded
/// words are split again.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    // Byte classes: 0 in a word, 1 ASCII whitespace, 2 '&', 3 part of a non-ASCII character
    // (which may be whitespace: U+00A0, U+2003…).
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0x80;
        while i < 256 {
            t[i] = 3;
            i += 1;
        }
        t[b' ' as usize] = 1;
        t[b'\t' as usize] = 1;
        t[b'\n' as usize] = 1;
        t[0x0b] = 1;
        t[0x0c] = 1;
        t[b'\r' as usize] = 1;
        t[b'&' as usize] = 2;
        t
    };
    // The length of the whitespace character at `i`, if there is one.
    let space_at = |i: usize| -> Option<usize> {
        let ch = text[i..].chars().next().expect("i is a char boundary");
        ch.is_whitespace().then(|| ch.len_utf8())
    };
    let b = text.as_bytes();
    let mut i = 0;
    'words: while i < b.len() {
        match CLASS[b[i] as usize] {
            1 => {
                i += 1;
                continue;
            }
            3 => {
                if let Some(len) = space_at(i) {
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        let start = i;
        let mut amp = false;
        loop {
            i = skip_plain(b, i);
            while i < b.len() && CLASS[b[i] as usize] == 0 {
                i += 1;
            }
            if i == b.len() {
                break;
            }
            match CLASS[b[i] as usize] {
                1 => break,
                2 => {
                    amp = true;
                    i += 1;
                }
                _ => match space_at(i) {
                    Some(_) => break,
                    None => i += text[i..].chars().next().map_or(1, char::len_utf8),
                },
            }
        }
        let word = &text[start..i];
        if !amp {
            f(word);
            continue 'words;
        }
        match html_escape::decode_html_entities(word) {
            Cow::Borrowed(w) => f(w),
            Cow::Owned(w) => w.split_whitespace().for_each(&mut f),
        }
    }
}

/// The first index from `i` whose byte may end a word for [`for_each_word`] (ASCII
/// whitespace or another control character, `&`, or a non-ASCII byte), eight bytes at a time;
/// the end of the last whole eight (the caller goes on byte by byte). The bit tricks flag
/// exactly the bytes below 0x21 and the `&`s, except above a flagged byte, so the lowest flag
/// is exact.
#[inline]
pub(super) fn skip_plain(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let control = x.wrapping_sub(ONES * 0x21) & !x;
        let y = x ^ (ONES * u64::from(b'&'));
        let amp = y.wrapping_sub(ONES) & !y;
        let flags = (control | amp | x) & HIGH;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Remove Pagefind's private markers (`___PAGEFIND_…` and one following space).
pub(super) fn strip_markers(s: &str) -> Option<String> {
    if !s.contains("___PAGEFIND_") {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("___PAGEFIND_") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "___PAGEFIND_".len()..];
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        if end == 0 {
            // `[\S]+` needs one character.
            out.push_str("___PAGEFIND_");
            rest = after;
            continue;
        }
        let mut tail = &after[end..];
        if let Some(c) = tail.chars().next() {
            tail = &tail[c.len_utf8()..];
        }
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

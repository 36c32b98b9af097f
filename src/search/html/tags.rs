//! Which elements Pagefind treats how: a bit set per tag name ([`Kind`]) for sentence breaks,
//! inline elements, never-indexed elements and void elements, with the readable lists it is
//! checked against in tests.

#[cfg(test)]
pub(super) fn is_sentence(tag: &str) -> bool {
    matches!(
        tag,
        "h1" | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "p"
            | "td"
            | "div"
            | "ul"
            | "li"
            | "article"
            | "section"
    )
}

#[cfg(test)]
pub(super) fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "acronym"
            | "b"
            | "bdo"
            | "big"
            | "br"
            | "button"
            | "cite"
            | "code"
            | "dfn"
            | "em"
            | "i"
            | "img"
            | "input"
            | "kbd"
            | "label"
            | "map"
            | "object"
            | "output"
            | "q"
            | "samp"
            | "script"
            | "select"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "textarea"
            | "time"
            | "tt"
            | "var"
    )
}

/// Never indexed (Pagefind's default exclusions).
#[cfg(test)]
pub(super) fn is_removed(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "style"
            | "script"
            | "noscript"
            | "label"
            | "form"
            | "svg"
            | "footer"
            | "nav"
            | "iframe"
            | "template"
    )
}

#[cfg(test)]
pub(super) fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// What an element's name means to the reader, worked out once when it opens: void (no end
/// tag), inline (inherits its parent's anchors), removed (never indexed), sentence (its text
/// ends with a full stop), and a heading's level (1–6, which weighs its words).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Kind(u16);

impl Kind {
    const VOID: u16 = 1;
    const INLINE: u16 = 2;
    const REMOVED: u16 = 4;
    const SENTENCE: u16 = 8;

    pub(super) fn of(tag: &str) -> Kind {
        const HEADING: u16 = 1 << 8;
        Kind(match tag {
            "a" | "abbr" | "acronym" | "b" | "bdo" | "big" | "button" | "cite" | "code" | "dfn"
            | "em" | "i" | "kbd" | "map" | "object" | "output" | "q" | "samp" | "select"
            | "small" | "span" | "strong" | "sub" | "sup" | "textarea" | "time" | "tt" | "var" => {
                Self::INLINE
            }
            "br" | "img" | "input" => Self::INLINE | Self::VOID,
            "label" | "script" => Self::INLINE | Self::REMOVED,
            "area" | "base" | "col" | "embed" | "hr" | "link" | "meta" | "param" | "source"
            | "track" | "wbr" => Self::VOID,
            "head" | "style" | "noscript" | "form" | "svg" | "footer" | "nav" | "iframe"
            | "template" => Self::REMOVED,
            "p" | "td" | "div" | "ul" | "li" | "article" | "section" => Self::SENTENCE,
            "h1" => Self::SENTENCE | HEADING,
            "h2" => Self::SENTENCE | (2 * HEADING),
            "h3" => Self::SENTENCE | (3 * HEADING),
            "h4" => Self::SENTENCE | (4 * HEADING),
            "h5" => Self::SENTENCE | (5 * HEADING),
            "h6" => Self::SENTENCE | (6 * HEADING),
            _ => 0,
        })
    }
    pub(super) fn void(self) -> bool {
        self.0 & Self::VOID != 0
    }
    pub(super) fn inline(self) -> bool {
        self.0 & Self::INLINE != 0
    }
    pub(super) fn removed(self) -> bool {
        self.0 & Self::REMOVED != 0
    }
    pub(super) fn sentence(self) -> bool {
        self.0 & Self::SENTENCE != 0
    }
    /// 1 for `h1` … 6 for `h6`, 0 for the rest.
    pub(super) fn heading(self) -> u16 {
        self.0 >> 8
    }
}

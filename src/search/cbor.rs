//! The slice of CBOR (RFC 8949) Pagefind's index files use: unsigned and negative integers,
//! text strings and definite-length arrays (a record is an array of its fields in order).
//! The decoder exists so tests can read Pagefind's own files and ours.

/// Append the head of a data item: major type and argument, in the shortest form.
#[inline]
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= u8::MAX as u64 {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n <= u16::MAX as u64 {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= u32::MAX as u64 {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

#[inline]
pub fn uint(out: &mut Vec<u8>, n: u64) {
    head(out, 0, n);
}

#[inline]
pub fn int(out: &mut Vec<u8>, n: i64) {
    if n >= 0 {
        head(out, 0, n as u64);
    } else {
        head(out, 1, (-1 - n) as u64);
    }
}

#[inline]
pub fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

#[inline]
pub fn array(out: &mut Vec<u8>, len: usize) {
    head(out, 4, len as u64);
}

/// The length an array's head gives (`bytes` starts with an array written by [`array`]).
pub fn array_len(bytes: &[u8]) -> usize {
    let n = |k: usize| {
        bytes[1..=k]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | b as usize)
    };
    match bytes[0] & 0x1f {
        a @ 0..=23 => a as usize,
        24 => n(1),
        25 => n(2),
        26 => n(4),
        _ => n(8),
    }
}

/// An array of integers (the index's location lists: most fit in one or two bytes, so
/// those are written without going through [`head`]).
pub fn ints(out: &mut Vec<u8>, v: &[i32]) {
    if v.len() < 24 {
        out.push(0x80 | v.len() as u8);
    } else {
        array(out, v.len());
    }
    out.reserve(v.len() * 2);
    for &n in v {
        // Major type 0 for n >= 0, else 1 with argument -1 - n (`!n` in two's complement).
        let (major, a) = if n >= 0 {
            (0u8, n as u32)
        } else {
            (0x20, !n as u32)
        };
        if a < 24 {
            out.push(major | a as u8);
        } else if a < 256 {
            out.extend_from_slice(&[major | 24, a as u8]);
        } else {
            head(out, major >> 5, a as u64);
        }
    }
}

/// The head of the data item at `*i`: its major type and argument; `*i` moves past it. Errors
/// name the byte offset.
fn read_head(b: &[u8], i: &mut usize) -> Result<(u8, u64), String> {
    let at = *i;
    let truncated = || format!("truncated at byte {at}");
    let first = *b.get(at).ok_or_else(truncated)?;
    *i += 1;
    let info = first & 31;
    let n = match info {
        0..=23 => info as u64,
        24..=27 => {
            let len = 1usize << (info - 24);
            let bytes = b.get(*i..*i + len).ok_or_else(truncated)?;
            *i += len;
            bytes.iter().fold(0u64, |acc, &x| (acc << 8) | x as u64)
        }
        _ => return Err(format!("unsupported CBOR head {first:#x} at byte {at}")),
    };
    Ok((first >> 5, n))
}

/// A decoded data item.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Text(String),
    Array(Vec<Value>),
}

impl Value {
    pub fn array(&self) -> &[Value] {
        match self {
            Value::Array(a) => a,
            other => panic!("expected an array, found {other:?}"),
        }
    }
    pub fn text(&self) -> &str {
        match self {
            Value::Text(t) => t,
            other => panic!("expected text, found {other:?}"),
        }
    }
    pub fn int(&self) -> i64 {
        match self {
            Value::Int(n) => *n,
            other => panic!("expected an integer, found {other:?}"),
        }
    }
}

/// Decode one data item; errors name the byte offset.
pub fn decode(bytes: &[u8]) -> Result<Value, String> {
    let mut i = 0;
    let v = item(bytes, &mut i)?;
    if i != bytes.len() {
        return Err(format!("{} bytes left after the item", bytes.len() - i));
    }
    Ok(v)
}

fn item(b: &[u8], i: &mut usize) -> Result<Value, String> {
    let at = *i;
    let (major, n) = read_head(b, i)?;
    match major {
        0 => Ok(Value::Int(n as i64)),
        1 => Ok(Value::Int(-1 - n as i64)),
        3 => {
            let s = b
                .get(*i..*i + n as usize)
                .ok_or(format!("truncated text at byte {at}"))?;
            *i += n as usize;
            String::from_utf8(s.to_vec())
                .map(Value::Text)
                .map_err(|_| format!("invalid UTF-8 at byte {at}"))
        }
        4 => (0..n)
            .map(|_| item(b, i))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        m => Err(format!("unsupported CBOR major type {m} at byte {at}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut out = Vec::new();
        array(&mut out, 3);
        text(&mut out, "grain");
        ints(&mut out, &[0, 23, 24, 255, 256, 70000, -1, -25, -300]);
        uint(&mut out, 5_000_000_000);
        let v = decode(&out).unwrap();
        assert_eq!(v.array()[0].text(), "grain");
        let ns: Vec<i64> = v.array()[1].array().iter().map(Value::int).collect();
        assert_eq!(ns, vec![0, 23, 24, 255, 256, 70000, -1, -25, -300]);
        assert_eq!(v.array()[2].int(), 5_000_000_000);
        // The shortest heads, as minicbor writes them.
        let mut small = Vec::new();
        int(&mut small, -25);
        assert_eq!(small, vec![0x38, 24]);
    }

    proptest::proptest! {
        #[test]
        fn ints_are_written_as_int_writes_them(
            v in proptest::collection::vec(
                proptest::prop_oneof![-300i32..300, proptest::num::i32::ANY], 0..40)
        ) {
            let mut fast = Vec::new();
            ints(&mut fast, &v);
            let mut slow = Vec::new();
            array(&mut slow, v.len());
            for &n in &v {
                int(&mut slow, n as i64);
            }
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn ints_read_back() {
        let v = [
            0,
            23,
            24,
            255,
            256,
            70000,
            -1,
            -25,
            -300,
            i32::MIN,
            i32::MAX,
        ];
        let mut out = Vec::new();
        ints(&mut out, &v);
        let back: Vec<i64> = decode(&out)
            .unwrap()
            .array()
            .iter()
            .map(|x| x.int())
            .collect();
        assert_eq!(back, v.iter().map(|&n| n as i64).collect::<Vec<_>>());
    }

    #[test]
    fn array_lengths_from_their_heads() {
        for n in [0usize, 23, 24, 255, 256, 65_535, 65_536, 5_000_000] {
            let mut out = Vec::new();
            array(&mut out, n);
            assert_eq!(array_len(&out), n);
        }
    }
}

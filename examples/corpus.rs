//! The benchmark corpus generator (issue 7), a port of `../shared/bench/gen_corpus.py`'s
//! dossier tree that writes the same bytes: the same seeded streams (CPython's Mersenne Twister
//! with its string seeding, `randrange`, `choice`, `sample`, `shuffle`, `uniform`), the same
//! vocabulary and sentence shapes. `site.toml` is the parity configuration `bench/run` uses
//! (pagination 10, one site-wide feed, no citations, no search, summaries in feeds), and author profiles say `role:`
//! where the Python tree says `title:` (what `bench/run` rewrites it to). CI compares the two
//! generators' trees file by file when `../shared` is present.
//!
//! Usage: cargo run --release --example corpus -- --briefs N --out DIR [--seed S] [--force]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha512};

const FIRST: &[&str] = &[
    "Amara",
    "Ana",
    "Andrei",
    "Anika",
    "Aziz",
    "Beatriz",
    "Bilal",
    "Camille",
    "Chen",
    "Chidi",
    "Clara",
    "Daniel",
    "Dara",
    "David",
    "Elena",
    "Emeka",
    "Erik",
    "Fatima",
    "Felipe",
    "Grace",
    "Hana",
    "Hassan",
    "Ines",
    "Ingrid",
    "Isaac",
    "Jae",
    "James",
    "Javier",
    "Julia",
    "Kamal",
    "Kenji",
    "Laila",
    "Lars",
    "Lena",
    "Lucia",
    "Malik",
    "Maria",
    "Marta",
    "Mateo",
    "Mei",
    "Miguel",
    "Mina",
    "Nadia",
    "Naveen",
    "Nia",
    "Nikolai",
    "Noor",
    "Olga",
    "Omar",
    "Pablo",
    "Priya",
    "Rafael",
    "Rania",
    "Ravi",
    "Rosa",
    "Ruth",
    "Sade",
    "Samir",
    "Sara",
    "Sean",
    "Sofia",
    "Tariq",
    "Thandi",
    "Tomas",
    "Uma",
    "Valentina",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zainab",
    "Zoe",
    "Adaeze",
    "Bongani",
    "Carmen",
    "Dmitri",
    "Esther",
    "Farid",
    "Gabriela",
    "Hiroshi",
];
const LAST: &[&str] = &[
    "Abadi",
    "Adeyemi",
    "Alvarez",
    "Andersen",
    "Bakshi",
    "Barros",
    "Becker",
    "Bennett",
    "Chaudhry",
    "Chen",
    "Costa",
    "Dahl",
    "Diallo",
    "Duarte",
    "Eriksen",
    "Fernandes",
    "Fischer",
    "Garcia",
    "Gupta",
    "Haddad",
    "Hansen",
    "Hoffmann",
    "Ibrahim",
    "Ivanova",
    "Jensen",
    "Kahn",
    "Kamau",
    "Kapoor",
    "Kim",
    "Kowalski",
    "Kruger",
    "Lambert",
    "Larsen",
    "Lopes",
    "Mahmoud",
    "Mansour",
    "Martins",
    "Mehta",
    "Mendes",
    "Moreau",
    "Mwangi",
    "Nakamura",
    "Navarro",
    "Nguyen",
    "Novak",
    "Nunez",
    "Okafor",
    "Okonkwo",
    "Ortega",
    "Osei",
    "Park",
    "Pereira",
    "Petrov",
    "Qureshi",
    "Rahman",
    "Ramos",
    "Reyes",
    "Richter",
    "Rossi",
    "Saito",
    "Santos",
    "Schmidt",
    "Sharma",
    "Silva",
    "Sokolov",
    "Suleiman",
    "Tanaka",
    "Torres",
    "Usman",
    "Varga",
    "Vogel",
    "Wang",
    "Weber",
    "Yamamoto",
    "Yilmaz",
    "Zhang",
    "Ziegler",
    "Achebe",
    "Bianchi",
    "Castillo",
    "Dube",
    "Eze",
    "Falk",
    "Grant",
    "Holm",
    "Iyer",
    "Juarez",
];
const ROLES: &[&str] = &[
    "Senior Fellow",
    "Fellow",
    "Associate Fellow",
    "Research Director",
    "Nonresident Fellow",
    "Visiting Scholar",
    "Policy Analyst",
    "Program Director",
    "Senior Economist",
    "Research Associate",
];
const AFFILIATIONS: &[&str] = &[
    "Centre for Policy Dialogue",
    "Institute for Fiscal Futures",
    "Global Governance Lab",
    "Council on Regional Affairs",
    "Energy Transitions Forum",
    "Public Health Policy Unit",
    "Trade and Development Observatory",
    "Security Studies Programme",
];
const TOPICS: &[&str] = &[
    "Energy Security",
    "Climate Adaptation",
    "Climate Finance",
    "Carbon Markets",
    "Trade Policy",
    "Industrial Policy",
    "Sovereign Debt",
    "Monetary Policy",
    "Fiscal Policy",
    "Tax Reform",
    "Public Health",
    "Pandemic Preparedness",
    "Food Security",
    "Water Management",
    "Migration",
    "Refugee Policy",
    "Labour Markets",
    "Social Protection",
    "Education Reform",
    "Digital Economy",
    "AI Governance",
    "Cybersecurity",
    "Data Protection",
    "Critical Minerals",
    "Supply Chains",
    "Infrastructure Finance",
    "Urban Development",
    "Housing",
    "Transport",
    "Maritime Security",
    "Arms Control",
    "Nuclear Policy",
    "Counterterrorism",
    "Peacekeeping",
    "Humanitarian Aid",
    "Development Finance",
    "Anti-Corruption",
    "Rule of Law",
    "Elections",
    "Democratic Resilience",
    "Media Freedom",
    "Gender Equality",
    "Youth Employment",
    "Agriculture",
    "Fisheries",
    "Biodiversity",
    "Forests",
    "Oceans",
    "Arctic Affairs",
    "Space Policy",
    "Competition Policy",
    "Financial Regulation",
    "Banking Union",
    "Pensions",
    "Healthcare Financing",
    "Pharmaceuticals",
    "Sanctions",
    "Export Controls",
    "Geoeconomics",
    "Multilateralism",
];
const REGIONS: &[&str] = &[
    "Sub-Saharan Africa",
    "Middle East and North Africa",
    "South Asia",
    "East Asia",
    "Southeast Asia",
    "Central Asia",
    "Europe",
    "Eastern Europe",
    "North America",
    "Latin America",
    "Caribbean",
    "Pacific Islands",
];
const PLACES: &[&str] = &[
    "Kenya",
    "Nigeria",
    "Ghana",
    "Ethiopia",
    "Senegal",
    "South Africa",
    "Egypt",
    "Morocco",
    "Tunisia",
    "Jordan",
    "Iraq",
    "Lebanon",
    "Pakistan",
    "India",
    "Bangladesh",
    "Sri Lanka",
    "Nepal",
    "Indonesia",
    "Vietnam",
    "the Philippines",
    "Malaysia",
    "Thailand",
    "Japan",
    "South Korea",
    "Mongolia",
    "Kazakhstan",
    "Uzbekistan",
    "Ukraine",
    "Poland",
    "Romania",
    "Germany",
    "France",
    "Italy",
    "Spain",
    "Greece",
    "Turkey",
    "Mexico",
    "Brazil",
    "Colombia",
    "Peru",
    "Chile",
    "Argentina",
    "Jamaica",
    "Haiti",
    "Fiji",
    "Papua New Guinea",
    "Canada",
    "the Sahel",
    "the Horn of Africa",
    "the Western Balkans",
    "the Mekong basin",
    "the Andean region",
    "the Gulf",
];
const ACTORS: &[&str] = &[
    "the government",
    "the finance ministry",
    "the central bank",
    "regional lenders",
    "donor agencies",
    "local authorities",
    "civil society groups",
    "the European Commission",
    "the African Union",
    "state-owned utilities",
    "provincial governments",
    "smallholder farmers",
    "port operators",
    "insurers",
    "the World Bank",
    "parliamentary committees",
    "municipal water boards",
    "security forces",
    "host communities",
    "export-oriented manufacturers",
    "pension funds",
    "the regulator",
    "development banks",
    "trade unions",
    "the health ministry",
    "private creditors",
    "bilateral donors",
    "the IMF",
];
const VERBS: &[&str] = &[
    "should prioritise",
    "could accelerate",
    "must reconcile",
    "will need to renegotiate",
    "may quietly abandon",
    "cannot afford to ignore",
    "would struggle to enforce",
    "ought to fund",
    "might scale back",
    "will have to pilot",
    "could expand",
    "should stop subsidising",
    "may yet centralise",
    "is unlikely to revise",
    "has long underfunded",
    "would be wise to tighten",
    "could still defend",
    "must not outsource",
    "will probably delay",
    "has yet to evaluate",
];
const OBJECTS: &[&str] = &[
    "its fuel-subsidy regime",
    "cross-border electricity trade",
    "the debt-restructuring framework",
    "early-warning systems",
    "procurement rules",
    "the minimum wage",
    "strategic grain reserves",
    "customs digitisation",
    "coastal defences",
    "concessional finance",
    "cash-transfer programmes",
    "primary-care networks",
    "the carbon price",
    "data-localisation rules",
    "mineral export licences",
    "teacher training",
    "land-tenure reform",
    "the sovereign wealth fund",
    "export credit guarantees",
    "border management",
    "community health workers",
    "the pension system",
    "water tariffs",
    "emergency food aid",
    "grid interconnectors",
    "vaccine procurement",
    "the anti-corruption agency",
    "public broadcasting",
    "rural broadband",
    "fisheries licensing",
];
const CLAUSES: &[&str] = &[
    "despite mounting fiscal pressure",
    "in the wake of the recent drought",
    "as interest rates remain elevated",
    "without a clear legal mandate",
    "ahead of the next electoral cycle",
    "under the terms of the 2019 agreement",
    "while inflation erodes real incomes",
    "amid a sharp fall in remittances",
    "after two years of stalled negotiations",
    "with little parliamentary scrutiny",
    "as donors shift priorities",
    "in spite of strong public support",
    "following a series of court rulings",
    "once the moratorium expires",
    "as commodity prices swing",
    "before the rainy season",
    "given the scale of informal employment",
    "with uneven results across districts",
];
const METRICS: &[&str] = &[
    "public debt",
    "youth unemployment",
    "the poverty rate",
    "renewable capacity",
    "food-price inflation",
    "tax revenue",
    "school enrolment",
    "electricity access",
    "child stunting",
    "net migration",
    "military spending",
    "forest cover",
    "the trade deficit",
    "household savings",
    "vaccination coverage",
];
const CONNECTIVES: &[&str] = &[
    "However,",
    "In practice,",
    "Meanwhile,",
    "By contrast,",
    "Crucially,",
    "At the same time,",
    "Even so,",
    "As a result,",
    "In other words,",
    "More broadly,",
    "For now,",
    "Put simply,",
];
const ADJ: &[&str] = &[
    "fragile",
    "ambitious",
    "contested",
    "overdue",
    "piecemeal",
    "costly",
    "durable",
    "credible",
    "opaque",
    "incremental",
    "targeted",
    "regressive",
    "pragmatic",
];
const NOUNS: &[&str] = &[
    "reform",
    "compromise",
    "framework",
    "transition",
    "strategy",
    "settlement",
    "programme",
    "bargain",
    "mandate",
    "coalition",
    "agenda",
    "safeguard",
];
const HEADINGS: &[&str] = &[
    "Background",
    "Why this matters now",
    "The fiscal picture",
    "What has changed",
    "Options for policymakers",
    "Risks and trade-offs",
    "Recommendations",
    "Implementation challenges",
    "Regional dynamics",
    "The evidence so far",
    "Looking ahead",
    "Who pays?",
    "A closer look at the data",
    "Lessons from elsewhere",
    "The politics of reform",
    "Financing the gap",
];
const SUBHEADINGS: &[&str] = &[
    "Short-term measures",
    "Longer-term choices",
    "A note on method",
    "What donors can do",
    "What governments can do",
    "Measuring progress",
];
const GERUNDS: &[&str] = &[
    "Rethinking",
    "Financing",
    "Reforming",
    "Securing",
    "Rebuilding",
    "Protecting",
    "Governing",
    "Scaling",
    "Pricing",
    "Defending",
    "Modernising",
    "Untangling",
];
const TITLE_NOUNS: &[&str] = &[
    "Grid Resilience",
    "Food Reserves",
    "Debt Relief",
    "Border Trade",
    "Climate Finance",
    "Primary Care",
    "Water Security",
    "Digital Identity",
    "Port Infrastructure",
    "Social Protection",
    "Mineral Supply Chains",
    "Fiscal Rules",
    "Election Security",
    "Urban Transit",
    "Fisheries Governance",
    "Pension Reform",
    "Refugee Education",
    "Carbon Pricing",
    "Public Procurement",
    "Vaccine Access",
    "Coastal Defence",
    "Labour Mobility",
    "Tax Collection",
];
const PUBLISHERS: &[&str] = &[
    "World Bank",
    "OECD Publishing",
    "IMF Working Paper",
    "UNDP",
    "Brookings Institution",
    "Chatham House",
    "ODI",
    "CSIS",
    "Bruegel",
    "UNHCR",
];
const WORDS: &[&str] = &[
    "assessment",
    "budget",
    "capacity",
    "coordination",
    "coverage",
    "credibility",
    "delivery",
    "demand",
    "exposure",
    "governance",
    "incentives",
    "investment",
    "leverage",
    "liquidity",
    "oversight",
    "participation",
    "productivity",
    "resilience",
    "revenue",
    "risk",
    "scrutiny",
    "sequencing",
    "spillovers",
    "transparency",
    "uptake",
    "volatility",
];

const SITE_TOML: &str = r#"title = "Policy Briefs"
base_url = "https://briefs.example.org/"
description = "Short, evidence-based analysis for decision makers."
language = "en"
paginate = 10

[[taxonomies]]
name = "topics"
feed = false

[[taxonomies]]
name = "regions"
feed = false

[metadata]
citations = false

[search]
enabled = false

[feeds]
full_content = false

[images]
share_cards = false
"#;

/// 2016-01-01T00:00:00Z, the first possible brief date; briefs span ten years from it.
const DATE_START: i64 = 1_451_606_400;
const DATE_SPAN_DAYS: u64 = 3652;

/// CPython's `random.Random`: MT19937 and the methods the generator uses, bit for bit.
struct PyRandom {
    mt: [u32; 624],
    index: usize,
}

impl PyRandom {
    /// `random.Random(seed)` for a string seed (version 2: the seed's bytes and their SHA-512,
    /// read as one big-endian integer, fed to `init_by_array` as little-endian 32-bit words).
    fn new(seed: &str) -> Self {
        let mut bytes = seed.as_bytes().to_vec();
        bytes.extend_from_slice(&Sha512::digest(seed.as_bytes()));
        let le: Vec<u8> = bytes.into_iter().rev().collect();
        let key: Vec<u32> = le
            .chunks(4)
            .map(|c| {
                let mut w = [0u8; 4];
                w[..c.len()].copy_from_slice(c);
                u32::from_le_bytes(w)
            })
            .collect();
        let mut r = Self::init_genrand(19_650_218);
        let n = 624;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..n.max(key.len()) {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= n {
                r.mt[0] = r.mt[n - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..n - 1 {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= n {
                r.mt[0] = r.mt[n - 1];
                i = 1;
            }
        }
        r.mt[0] = 0x8000_0000;
        r
    }

    fn init_genrand(s: u32) -> Self {
        let mut mt = [0u32; 624];
        mt[0] = s;
        for i in 1..624 {
            mt[i] = 1_812_433_253u32
                .wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        Self { mt, index: 624 }
    }

    fn next_u32(&mut self) -> u32 {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        const MATRIX_A: u32 = 0x9908_b0df;
        if self.index >= 624 {
            for k in 0..624 {
                let y = (self.mt[k] & UPPER) | (self.mt[(k + 1) % 624] & LOWER);
                let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
                self.mt[k] = self.mt[(k + 397) % 624] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// `random()`: 53 random bits as a float in [0, 1).
    fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `_randbelow(n)` by rejection on `getrandbits(n.bit_length())` (n < 2^32 here).
    fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0 && n < 1 << 32);
        let k = 64 - n.leading_zeros();
        loop {
            let r = (self.next_u32() >> (32 - k)) as u64;
            if r < n {
                return r;
            }
        }
    }

    /// `randint(a, b)`, both ends included.
    fn randint(&mut self, a: i64, b: i64) -> i64 {
        a + self.below((b - a + 1) as u64) as i64
    }

    fn randrange(&mut self, n: u64) -> u64 {
        self.below(n)
    }

    fn choice<'a, T>(&mut self, seq: &'a [T]) -> &'a T {
        &seq[self.below(seq.len() as u64) as usize]
    }

    /// `choice` for word lists.
    fn pick(&mut self, seq: &[&'static str]) -> &'static str {
        seq[self.below(seq.len() as u64) as usize]
    }

    fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.random()
    }

    fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            x.swap(i, j);
        }
    }

    /// `sample(population, k)`: CPython's two strategies (a pool for small populations, a set
    /// of chosen indexes otherwise) consume the stream differently, so both are reproduced.
    fn sample<T: Clone>(&mut self, population: &[T], k: usize) -> Vec<T> {
        let n = population.len();
        assert!(k <= n);
        let mut setsize = 21usize;
        if k > 5 {
            setsize += 4usize.pow(((k * 3) as f64).log(4.0).ceil() as u32);
        }
        let mut result = Vec::with_capacity(k);
        if n <= setsize {
            let mut pool = population.to_vec();
            for i in 0..k {
                let j = self.below((n - i) as u64) as usize;
                result.push(pool[j].clone());
                pool[j] = pool[n - i - 1].clone();
            }
        } else {
            let mut selected = std::collections::HashSet::new();
            for _ in 0..k {
                let mut j = self.below(n as u64) as usize;
                while selected.contains(&j) {
                    j = self.below(n as u64) as usize;
                }
                selected.insert(j);
                result.push(population[j].clone());
            }
        }
        result
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Python's `str.title()` for ASCII text: a letter after a letter is lowered, any other upper.
fn title(s: &str) -> String {
    let mut prev = false;
    s.chars()
        .map(|c| {
            let out = if c.is_alphabetic() {
                if prev {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            } else {
                c
            };
            prev = c.is_alphabetic();
            out
        })
        .collect()
}

fn an(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an "
    } else {
        "a "
    };
    format!("{article}{word}")
}

fn spaces(s: &str) -> usize {
    s.matches(' ').count()
}

/// `s[:-1] + mark + s[-1]`: insert before the last character.
fn before_last(s: &str, mark: &str) -> String {
    let cut = s.char_indices().last().map_or(0, |(i, _)| i);
    format!("{}{mark}{}", &s[..cut], &s[cut..])
}

/// A JSON string as Python's `json.dumps(s, ensure_ascii=False)` writes it.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// Python's `repr` of a float with one decimal (as `round(x, 1)` gives): "23.4", "5.0".
fn py_float(x: f64) -> String {
    let v: f64 = format!("{x:.1}").parse().expect("a number");
    let s = format!("{v}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

struct Prose<'a> {
    r: PyRandom,
    slugs: &'a [String],
    words: usize,
    nlinks: usize,
}

impl<'a> Prose<'a> {
    fn new(r: PyRandom, slugs: &'a [String]) -> Self {
        Self {
            r,
            slugs,
            words: 0,
            nlinks: 0,
        }
    }

    fn c(&mut self, seq: &[&'static str]) -> &'static str {
        self.r.pick(seq)
    }

    fn sentence(&mut self) -> String {
        let k = self.r.randrange(10);
        let s = match k {
            0 => {
                let y1 = self.r.randint(2005, 2016);
                let y2 = self.r.randint(y1 + 2, 2025);
                let a = self.r.randint(3, 40);
                let b = a + self.r.randint(-a + 1, 25);
                let (m, p, act) = (self.c(METRICS), self.c(PLACES), self.c(ACTORS));
                format!(
                    "Between {y1} and {y2}, {m} in {p} moved from {a} per cent to {b} per cent — a shift that {act} can no longer treat as temporary."
                )
            }
            1 => {
                let (a, v, o) = (self.c(ACTORS), self.c(VERBS), self.c(OBJECTS));
                format!(
                    "As one senior official put it, “{} {v} {o}, and nobody wants to say so in public.”",
                    cap(a)
                )
            }
            2 => {
                let (a, v, o, cl, adj, n) = (
                    self.c(ACTORS),
                    self.c(VERBS),
                    self.c(OBJECTS),
                    self.c(CLAUSES),
                    self.c(ADJ),
                    self.c(NOUNS),
                );
                format!(
                    "{} {v} {o} — {cl} — and the {adj} {n} that emerged is unlikely to hold.",
                    cap(a)
                )
            }
            3 => {
                let (con, adj, n, a, w, o, cl) = (
                    self.c(CONNECTIVES),
                    self.c(ADJ),
                    self.c(NOUNS),
                    self.c(ACTORS),
                    self.c(WORDS),
                    self.c(OBJECTS),
                    self.c(CLAUSES),
                );
                format!(
                    "{con} the ‘{adj} {n}’ that {a} would favour could shift {w} toward {o} {cl}."
                )
            }
            4 => {
                let (p, w1, w2, a, v, o) = (
                    self.c(PLACES),
                    self.c(WORDS),
                    self.c(WORDS),
                    self.c(ACTORS),
                    self.c(VERBS),
                    self.c(OBJECTS),
                );
                format!(
                    "The record in {p} suggests that *{w1}* matters more than headline {w2}: {a} {v} {o}."
                )
            }
            5 if self.nlinks < 6 => {
                self.nlinks += 1;
                let (target, text) = if !self.slugs.is_empty() && self.r.random() < 0.4 {
                    let slug = self.r.choice(self.slugs).clone();
                    let o = self.c(OBJECTS);
                    (
                        format!("/briefs/{slug}/"),
                        format!("an earlier brief on {o}"),
                    )
                } else {
                    let publisher = self.c(PUBLISHERS);
                    let n = self.r.randint(1000, 99999);
                    let kind = self.c(&["recent", "widely cited", "leaked", "official"]);
                    (
                        format!("https://www.{}.example.org/reports/{n}", slugify(publisher)),
                        format!("{} report", an(kind)),
                    )
                };
                let (a, v, o, cl) = (
                    self.c(ACTORS),
                    self.c(VERBS),
                    self.c(OBJECTS),
                    self.c(CLAUSES),
                );
                format!("As {text} notes, [{a} {v} {o}]({target}) {cl}.")
            }
            6 => {
                let (o, adj, a, v, cl) = (
                    self.c(OBJECTS),
                    self.c(ADJ),
                    self.c(ACTORS),
                    self.c(VERBS),
                    self.c(CLAUSES),
                );
                format!("{} is **{adj}** by design, and {a} {v} it {cl}.", cap(o))
            }
            7 => {
                let (con, a1, v1, o1, a2, v2, o2) = (
                    self.c(CONNECTIVES),
                    self.c(ACTORS),
                    self.c(VERBS),
                    self.c(OBJECTS),
                    self.c(ACTORS),
                    self.c(VERBS),
                    self.c(OBJECTS),
                );
                format!("{con} {a1} {v1} {o1}, while {a2} {v2} {o2}.")
            }
            8 => {
                let (adj, n, w1, w2, p) = (
                    self.c(ADJ),
                    self.c(NOUNS),
                    self.c(WORDS),
                    self.c(WORDS),
                    self.c(PLACES),
                );
                format!(
                    "It is tempting to read this as {} {n}; it is better understood as a question of {w1} and {w2} in {p}.",
                    an(adj)
                )
            }
            _ => {
                let (a, v, o, cl) = (
                    self.c(ACTORS),
                    self.c(VERBS),
                    self.c(OBJECTS),
                    self.c(CLAUSES),
                );
                format!("{} {v} {o} {cl}.", cap(a))
            }
        };
        self.words += spaces(&s) + 1;
        s
    }

    fn paragraph(&mut self, lo: i64, hi: i64, notes: Option<&mut (usize, usize)>) -> String {
        let count = self.r.randint(lo, hi);
        let mut sents: Vec<String> = (0..count).map(|_| self.sentence()).collect();
        if let Some(notes) = notes
            && notes.0 < notes.1
        {
            notes.0 += 1;
            let i = self.r.randrange(sents.len() as u64) as usize;
            sents[i] = before_last(&sents[i], &format!("[^{}]", notes.0));
        }
        sents.join(" ")
    }

    fn bullet_list(&mut self) -> String {
        let n = self.r.randint(3, 6);
        let ordered = self.r.random() < 0.4;
        let mut items = Vec::new();
        for i in 0..n {
            let (w, a, v, o, cl) = (
                self.c(WORDS),
                self.c(ACTORS),
                self.c(VERBS),
                self.c(OBJECTS),
                self.c(CLAUSES),
            );
            let item = format!("**{}.** {} {v} {o} {cl}.", cap(w), cap(a));
            self.words += spaces(&item) + 1;
            items.push(if ordered {
                format!("{}. {item}", i + 1)
            } else {
                format!("- {item}")
            });
        }
        items.join("\n")
    }

    fn blockquote(&mut self) -> String {
        let (o, a1, a2, verb) = (
            self.c(OBJECTS),
            self.c(ACTORS),
            self.c(ACTORS),
            self.c(&["paying", "waiting", "improvising", "borrowing"]),
        );
        let q = format!(
            "“{} is not a technical problem — it is a political one. Until {a1} accept that, {a2} will keep {verb}.”",
            cap(o)
        );
        self.words += spaces(&q) + 6;
        let (f, l, role) = (self.c(FIRST), self.c(LAST), self.c(ROLES));
        format!("> {q}\n>\n> — {f} {l}, {}", role.to_lowercase())
    }

    fn table(&mut self) -> String {
        let k = self.r.randint(4, 7) as usize;
        let places = self.r.sample(PLACES, k);
        let metrics = self.r.sample(METRICS, 2);
        let y = self.r.randint(2015, 2024);
        let mut rows = vec![
            format!(
                "| Country | {} ({y}, %) | {} ({y}, %) | Change since {} |",
                cap(metrics[0]),
                cap(metrics[1]),
                y - 5
            ),
            "|:--|--:|--:|--:|".to_string(),
        ];
        for p in places {
            let (a, b, c) = (
                self.r.uniform(1.0, 90.0),
                self.r.uniform(1.0, 90.0),
                self.r.uniform(-12.0, 12.0),
            );
            rows.push(format!("| {} | {a:.1} | {b:.1} | {c:+.1} |", cap(p)));
        }
        self.words += 8 * rows.len();
        let publisher = self.c(PUBLISHERS);
        format!("{}\n\n*Source: {publisher}, {}.*", rows.join("\n"), y + 1)
    }

    fn code(&mut self) -> String {
        let body = if self.r.random() < 0.5 {
            let places = self.r.sample(PLACES, 3);
            let mut json = String::from("[\n");
            for (i, p) in places.iter().enumerate() {
                let year = self.r.randint(2015, 2025);
                let key = self.c(&["debt_gdp", "arrears", "subsidy_bn"]);
                let value = py_float(self.r.uniform(1.0, 120.0));
                let _ = write!(
                    json,
                    "  {{\n    \"country\": {},\n    \"year\": {year},\n    {}: {value}\n  }}",
                    q(&cap(p)),
                    q(key)
                );
                json.push_str(if i + 1 < places.len() { ",\n" } else { "\n" });
            }
            json.push(']');
            format!("```json\n{json}\n```")
        } else {
            let metric = self.c(METRICS);
            let n = self.r.randint(10, 99);
            format!(
                "```python\nimport pandas as pd\n\ndf = pd.read_csv(\"{}.csv\")\nshare = df.groupby(\"region\")[\"value\"].mean() / {n}\nprint(share.sort_values(ascending=False).head(10))\n```",
                slugify(metric)
            )
        };
        self.words += 30;
        body
    }

    fn footnote(&mut self, i: usize) -> String {
        let (l1, f1, l2, f2, g, t, p) = (
            self.c(LAST),
            self.c(FIRST),
            self.c(LAST),
            self.c(FIRST),
            self.c(GERUNDS),
            self.c(TITLE_NOUNS),
            self.c(PUBLISHERS),
        );
        let (y, a, b) = (
            self.r.randint(2008, 2025),
            self.r.randint(1000, 9999),
            self.r.randint(10000, 99999),
        );
        format!(
            "[^{i}]: {l1}, {}. and {l2}, {}., *{g} {t}*, {p}, {y}, <https://doi.example.org/10.{a}/{b}>.",
            &f1[..1],
            &f2[..1]
        )
    }

    fn body(&mut self) -> String {
        let target = self.r.randint(900, 1500) as usize;
        let nnotes = self.r.randint(3, 8) as usize;
        let mut notes = (0usize, nnotes);
        let headings = self.r.sample(HEADINGS, 6);
        let mut blocks = vec![self.paragraph(3, 5, Some(&mut notes))];
        let mut paras = vec![0usize];
        let mut extras = vec!["quote", "list"];
        if self.r.random() < 0.35 {
            extras.push("table");
        }
        if self.r.random() < 0.08 {
            extras.push("code");
        }
        self.r.shuffle(&mut extras);
        let mut h = 0;
        while self.words < target || !extras.is_empty() {
            if h < headings.len() {
                blocks.push(format!("## {}", headings[h]));
                h += 1;
                if h == 3 && self.r.random() < 0.5 {
                    let sub = self.c(SUBHEADINGS);
                    blocks.push(format!("### {sub}"));
                }
            }
            for _ in 0..self.r.randint(1, 3) {
                paras.push(blocks.len());
                let p = self.paragraph(3, 6, Some(&mut notes));
                blocks.push(p);
                if self.words >= target {
                    break;
                }
            }
            if !extras.is_empty() && self.words as f64 > target as f64 * 0.25 {
                let block = match extras.pop().expect("non-empty") {
                    "quote" => self.blockquote(),
                    "list" => self.bullet_list(),
                    "table" => self.table(),
                    _ => self.code(),
                };
                blocks.push(block);
            }
        }
        while notes.0 < nnotes {
            notes.0 += 1;
            let i = *self.r.choice(&paras);
            blocks[i] = before_last(&blocks[i], &format!("[^{}]", notes.0));
        }
        for i in 1..=notes.0 {
            let f = self.footnote(i);
            blocks.push(f);
        }
        blocks.join("\n\n") + "\n"
    }
}

#[derive(Clone)]
struct Author {
    name: String,
    slug: String,
    role: &'static str,
    affiliation: &'static str,
    bio: String,
}

fn make_authors(n: usize, rng: &mut PyRandom) -> Vec<Author> {
    let mut names: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while names.len() < n {
        let mut name = format!("{} {}", rng.choice(FIRST), rng.choice(LAST));
        if seen.contains(&name) {
            name = format!("{} {name}", rng.choice(FIRST));
        }
        if seen.contains(&name) {
            continue;
        }
        seen.insert(name.clone());
        names.push(name);
    }
    names
        .into_iter()
        .map(|name| {
            let mut ar = PyRandom::new(&format!("author-{name}"));
            let role = *ar.choice(ROLES);
            let affiliation = *ar.choice(AFFILIATIONS);
            let (t1, t2) = (
                ar.choice(TOPICS).to_lowercase(),
                ar.choice(TOPICS).to_lowercase(),
            );
            let mut pr = Prose::new(ar, &[]);
            let bio = format!(
                "{name} is {} at the {affiliation}, working on {t1} and {t2}. {}\n\n{}\n",
                an(&role.to_lowercase()),
                pr.paragraph(3, 5, None),
                pr.paragraph(2, 4, None)
            );
            Author {
                slug: slugify(&name),
                name,
                role,
                affiliation,
                bio,
            }
        })
        .collect()
}

struct Meta {
    i: usize,
    slug: String,
    title: String,
    subtitle: String,
    summary: String,
    date: String,
    authors: Vec<usize>,
    topics: Vec<&'static str>,
    regions: Vec<&'static str>,
}

fn make_meta(i: usize, seed: &str, authors: usize) -> Meta {
    let mut r = PyRandom::new(&format!("{seed}-meta-{i}"));
    let k = r.randrange(5);
    let place = *r.choice(PLACES);
    let noun = *r.choice(TITLE_NOUNS);
    let title = match k {
        0 => format!("{} {noun} in {place}", r.choice(GERUNDS)),
        1 => format!("The Case for {} {noun}", title(r.pick(ADJ))),
        2 => format!("{}’s {noun} Problem", cap(place)),
        3 => format!("What {} Means for {place}", title(r.pick(OBJECTS))),
        _ => format!("After the Shock: {} {noun}", r.choice(GERUNDS)),
    };
    let slug_base: String = slugify(&title).chars().take(64).collect();
    let slug = format!("{}-{i:05}", slug_base.trim_end_matches('-'));
    let (a, v, o) = (*r.choice(ACTORS), *r.choice(VERBS), *r.choice(OBJECTS));
    let subtitle = format!("Why {a} {v} {o} — and what it means for {place}");
    let (a1, v1, o1, cl, a2) = (
        *r.choice(ACTORS),
        *r.choice(VERBS),
        *r.choice(OBJECTS),
        *r.choice(CLAUSES),
        *r.choice(ACTORS),
    );
    let summary = format!(
        "{} {v1} {o1} {cl}. This brief sets out the options for {a2} and the trade-offs each one carries.",
        cap(a1)
    );
    let seconds = r.randrange(DATE_SPAN_DAYS * 86_400) as i64;
    let date = jiff::Timestamp::from_second(DATE_START + seconds)
        .expect("in range")
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let n_authors = authors.min(r.randint(1, 3) as usize);
    let all: Vec<usize> = (0..authors).collect();
    let chosen = r.sample(&all, n_authors);
    let n_topics = r.randint(2, 5) as usize;
    let topics = r.sample(TOPICS, n_topics);
    let n_regions = r.randint(1, 2) as usize;
    let regions = r.sample(REGIONS, n_regions);
    Meta {
        i,
        slug,
        title,
        subtitle,
        summary,
        date,
        authors: chosen,
        topics,
        regions,
    }
}

fn qlist<S: AsRef<str>>(xs: impl IntoIterator<Item = S>) -> String {
    let items: Vec<String> = xs.into_iter().map(|x| q(x.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

fn write(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    std::fs::write(path, text)
}

struct Args {
    briefs: usize,
    out: PathBuf,
    seed: String,
    force: bool,
    images: bool,
    landscape: Option<PathBuf>,
}

/// A synthetic landscape photograph (sky, sun, three ridges, film grain), different for
/// every `seed`: heroes for the image benchmarks (issue 26), drawn here so that no
/// photograph is copied into the project.
fn landscape(seed: u64, w: u32, h: u32) -> image::RgbImage {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let unit = |v: u64| (v >> 11) as f64 / (1u64 << 53) as f64;
    let warm = unit(next());
    let sky_top = [40.0 + 60.0 * warm, 80.0 + 40.0 * warm, 160.0 - 40.0 * warm];
    let sky_low = [
        250.0,
        190.0 + 40.0 * (1.0 - warm),
        140.0 + 60.0 * (1.0 - warm),
    ];
    let sun = (
        unit(next()) * f64::from(w),
        (0.2 + 0.25 * unit(next())) * f64::from(h),
    );
    let ridges: Vec<(f64, f64, f64, f64, [f64; 3])> = (0..3)
        .map(|i| {
            let shade = 0.25 + 0.2 * f64::from(i);
            (
                0.45 + 0.15 * f64::from(i) + 0.05 * unit(next()),
                2.0 + 4.0 * unit(next()),
                unit(next()) * std::f64::consts::TAU,
                0.04 + 0.05 * unit(next()),
                [60.0 * shade, 90.0 * shade + 20.0, 70.0 * shade],
            )
        })
        .collect();
    let mut img = image::RgbImage::new(w, h);
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (fx, fy) = (f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
        let mut c = [0.0; 3];
        for k in 0..3 {
            c[k] = sky_top[k] + (sky_low[k] - sky_top[k]) * fy;
        }
        let d =
            ((f64::from(x) - sun.0).powi(2) + (f64::from(y) - sun.1).powi(2)).sqrt() / f64::from(h);
        let glow = (1.0 - d * 4.0).max(0.0);
        for v in &mut c {
            *v += 120.0 * glow * glow;
        }
        for (base, freq, phase, amp, colour) in &ridges {
            let top = base
                + amp * (fx * freq * std::f64::consts::TAU + phase).sin()
                + amp * 0.4 * (fx * freq * 17.0 + phase * 2.0).sin();
            if fy > top {
                let depth = (fy - top).min(0.3) / 0.3;
                for k in 0..3 {
                    c[k] = colour[k] * (1.0 - 0.3 * depth);
                }
            }
        }
        let grain = (unit(next()) - 0.5) * 14.0;
        *px = image::Rgb(c.map(|v| (v + grain).clamp(0.0, 255.0) as u8));
    }
    img
}

fn write_landscape(path: &Path, seed: u64, w: u32, h: u32) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    image::codecs::jpeg::JpegEncoder::new_with_quality(file, 82)
        .encode_image(&landscape(seed, w, h))
        .map_err(std::io::Error::other)
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut briefs, mut out, mut seed, mut force) = (1000usize, None, "42".to_string(), false);
    let (mut images, mut landscape) = (false, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--briefs" | "--n" => {
                let v = args.next().ok_or("--briefs needs a number")?;
                briefs = v
                    .parse()
                    .map_err(|_| format!("--briefs {v:?} is not a number"))?;
            }
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a folder")?)),
            "--seed" => seed = args.next().ok_or("--seed needs a value")?,
            "--force" => force = true,
            "--images" => images = true,
            "--landscape" => {
                landscape = Some(PathBuf::from(
                    args.next().ok_or("--landscape needs a file")?,
                ))
            }
            "-h" | "--help" => {
                println!(
                    "Write a synthetic policy-brief site for benchmarks (the same bytes as \
                     ../shared/bench/gen_corpus.py --format dossier, with bench/run's site.toml).\n\n\
                     Usage: cargo run --release --example corpus -- --briefs N --out DIR [--seed S] [--force]\n\n  \
                     --briefs N  number of briefs (default 1000); N/20 authors, 60 topics, 12 regions\n  \
                     --out DIR   folder to create\n  \
                     --seed S    random seed (default 42)\n  \
                     --force     replace DIR if it exists (only a folder this generator wrote)\n  \
                     --images    give every brief a bundle with a 1,600×900 JPEG hero (image benchmarks)\n  \
                     --landscape FILE  write one 2,400×1,350 synthetic landscape JPEG to FILE and stop"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    if landscape.is_some() {
        out = out.or_else(|| Some(PathBuf::new()));
    }
    Ok(Args {
        briefs,
        out: out.ok_or("--out DIR is required (see --help)")?,
        seed,
        force,
        images,
        landscape,
    })
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    if let Some(file) = &args.landscape {
        let seed = args
            .seed
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31) ^ u64::from(b));
        if let Err(e) = write_landscape(file, seed, 2400, 1350) {
            eprintln!("error: cannot write {}: {e}", file.display());
            std::process::exit(1);
        }
        return;
    }
    if args.out.exists() {
        // Only replace a folder this generator (or gen_corpus.py) wrote.
        let ours = args.out.join("content/briefs/_index.md").exists();
        if !args.force || !ours {
            eprintln!(
                "error: {} exists ({})",
                args.out.display(),
                if ours {
                    "use --force to replace it"
                } else {
                    "and is not a generated corpus; choose another folder"
                }
            );
            std::process::exit(1);
        }
        std::fs::remove_dir_all(&args.out).expect("remove the old corpus");
    }
    let mut rng = PyRandom::new(&format!("{}-authors", args.seed));
    let authors = make_authors((args.briefs / 20).max(1), &mut rng);
    let metas: Vec<Meta> = (0..args.briefs)
        .map(|i| make_meta(i, &args.seed, authors.len()))
        .collect();
    let slugs: Vec<String> = metas.iter().map(|m| m.slug.clone()).collect();
    let root = &args.out;
    let result = (|| -> std::io::Result<usize> {
        let toml = if args.images {
            SITE_TOML.replace("share_cards = false", "share_cards = true")
        } else {
            SITE_TOML.to_string()
        };
        write(root, "site.toml", &toml)?;
        write(
            root,
            "content/_index.md",
            "---\ntitle: \"Policy Briefs\"\n---\n",
        )?;
        write(
            root,
            "content/briefs/_index.md",
            "---\ntitle: \"Briefs\"\n---\n",
        )?;
        for a in &authors {
            write(
                root,
                &format!("content/authors/{}.md", a.slug),
                &format!(
                    "---\nname: {}\nrole: {}\naffiliation: {}\n---\n{}",
                    q(&a.name),
                    q(a.role),
                    q(a.affiliation),
                    a.bio
                ),
            )?;
        }
        let mut words = 0;
        let mut heroes = Vec::new();
        for m in &metas {
            let body = Prose::new(
                PyRandom::new(&format!("{}-body-{}", args.seed, m.i)),
                &slugs,
            )
            .body();
            words += spaces(&body) + body.matches('\n').count();
            let hero = if args.images {
                "image: hero.jpg\nimage_alt: A synthetic landscape at dusk\nimage_credit: dossier benchmark\n"
            } else {
                ""
            };
            let front = format!(
                "---\ntitle: {}\ndate: {}\nsubtitle: {}\nsummary: {}\nauthors: {}\ntopics: {}\nregions: {}\n{hero}---\n",
                q(&m.title),
                m.date,
                q(&m.subtitle),
                q(&m.summary),
                qlist(m.authors.iter().map(|&a| &authors[a].slug)),
                qlist(&m.topics),
                qlist(&m.regions)
            );
            if args.images {
                write(
                    root,
                    &format!("content/briefs/{}/index.md", m.slug),
                    &(front + &body),
                )?;
                heroes.push((
                    root.join(format!("content/briefs/{}/hero.jpg", m.slug)),
                    m.i as u64 + 1,
                ));
            } else {
                write(
                    root,
                    &format!("content/briefs/{}.md", m.slug),
                    &(front + &body),
                )?;
            }
        }
        // Drawing and encoding a hero is most of an illustrated corpus's time: every core.
        use rayon::prelude::*;
        heroes
            .par_iter()
            .try_for_each(|(path, seed)| write_landscape(path, *seed, 1600, 900))?;
        Ok(words)
    })();
    match result {
        Ok(words) => println!(
            "{} briefs, {} authors, {} topics, {} regions, ~{} words/brief -> {}",
            args.briefs,
            authors.len(),
            TOPICS.len(),
            REGIONS.len(),
            words / args.briefs.max(1),
            root.display()
        ),
        Err(e) => {
            eprintln!(
                "error: cannot write the corpus into {}: {e}",
                root.display()
            );
            std::process::exit(1);
        }
    }
}

//! "Did you mean" hints: the nearest known names to an unknown one.
//!
//! Names are compared twice: as written, and by their [`name_key`], which undoes how people
//! commonly write a known name differently (traditional characters, a 小区 suffix, a bracketed
//! community or note, full-width letters). A name whose key equals a candidate's is ranked
//! first. These are suggestions only: the import never resolves a name by its key.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rust_i18n::t;

use crate::import::values::fold_width;

/// Up to three candidates nearest to `unknown` (by normalised Levenshtein similarity, which
/// works for Chinese names as well as codes, as written or by [`name_key`]), best first; none
/// when nothing is close. A candidate with the same key as `unknown` comes first.
pub fn nearest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    scored(unknown, candidates)
        .into_iter()
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

/// Like [`nearest`], but only the candidates about as close as the best one: for a set of
/// similar names (headers such as 检查单位 and 检查单号) a far third guess misleads more than it
/// helps.
pub fn nearest_closest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let scored = scored(unknown, candidates);
    let best = scored.first().map_or(0.0, |(s, _)| *s);
    scored
        .into_iter()
        .take(3)
        .filter(|(s, _)| *s >= best - 0.5)
        .map(|(_, c)| c)
        .collect()
}

/// Every candidate close enough to `unknown` with its similarity, best first.
fn scored<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<(f64, &'a str)> {
    let key = name_key(unknown);
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let raw = similarity(unknown, c);
            let c_key = name_key(c);
            let s = if !key.is_empty() && key == c_key {
                raw + 1.0
            } else {
                raw.max(similarity(&key, &c_key))
            };
            (s, c)
        })
        .filter(|(s, _)| *s >= 0.34)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
}

/// Normalised Levenshtein similarity, with a bonus when one name holds the other.
fn similarity(unknown: &str, c: &str) -> f64 {
    let mut s = strsim::normalized_levenshtein(unknown, c);
    if !unknown.is_empty() && (c.contains(unknown) || unknown.contains(c)) {
        s += 0.5;
    }
    s
}

/// `(did you mean "X" or "Y"?)`, or empty.
pub fn did_you_mean<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean_of(&nearest(unknown, candidates))
}

/// [`did_you_mean`] naming only the candidates about as close as the best
/// ([`nearest_closest`]).
pub fn did_you_mean_closest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean_of(&nearest_closest(unknown, candidates))
}

fn did_you_mean_of(near: &[&str]) -> String {
    if near.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = near
        .iter()
        .map(|n| t!("suggest.quoted", name = n).into_owned())
        .collect();
    t!("suggest.did_you_mean", names = quoted.join(&t!("suggest.or"))).into_owned()
}

/// A name as it is compared for suggestions: full-width forms folded ([`fold_width`]),
/// traditional characters simplified (`宁靜里` → `宁静里`), bracketed parts removed
/// (`永和里（花园社区）`, `私装地锁(红线)`, `【红线】`), spaces removed, and one trailing
/// 小区 / 公寓 / 社区 / 大院 / 片区 dropped when something is left (`永和里小区` → `永和里`).
pub fn name_key(s: &str) -> String {
    let folded = fold_width(s.trim());
    let table = simplified_of();
    let mut key = String::with_capacity(folded.len());
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' | '（' | '【' | '[' | '〔' => depth += 1,
            ')' | '）' | '】' | ']' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 || c.is_whitespace() => {}
            _ => key.push(table.get(&c).copied().unwrap_or(c)),
        }
    }
    for suffix in NAME_SUFFIXES {
        if let Some(stem) = key.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            key.truncate(stem.len());
            break;
        }
    }
    key
}

/// What people add after a compound's name.
const NAME_SUFFIXES: [&str; 5] = ["小区", "公寓", "社区", "大院", "片区"];

/// Traditional → simplified, for the characters seen in the names of places, compounds,
/// companies and inspection items: pairs of (traditional, simplified), sorted.
const TRADITIONAL_SIMPLIFIED: &[&str] = &[
    "亂乱佈布佔占來来們们側侧傳传僑侨價价儀仪億亿優优兒儿內内兩两凱凯",
    "剝剥創创劃划劉刘務务勝胜勞劳匯汇區区協协參参吳吴啓启啟启單单國国",
    "圍围園园圓圆圖图團团場场塊块塢坞墻墙壇坛壓压壞坏壩坝壯壮壽寿夢梦",
    "奧奥奮奋孫孙學学實实寧宁寬宽寶宝對对導导層层屬属島岛崗岗嶺岭嶼屿",
    "嶽岳師师帶带幫帮庫库廁厕廈厦廚厨廟庙廠厂廢废廣广廳厅張张彎弯後后",
    "徑径從从復复慶庆應应戰战戶户損损擁拥擊击擺摆攤摊數数斷断時时晉晋",
    "曉晓書书會会東东條条棄弃楊杨楓枫業业極极榮荣構构樂乐樓楼標标樹树",
    "橋桥機机橫横檢检櫻樱欄栏權权歡欢歷历歸归殘残殼壳氣气淨净淺浅湯汤",
    "滄沧滅灭滬沪滲渗滿满漁渔漢汉潔洁潤润澤泽濟济濤涛濱滨灘滩灣湾災灾",
    "為为煙烟熱热燈灯燒烧營营燦灿爐炉爲为牆墙獅狮現现環环畫画當当發发",
    "盤盘盧卢眾众碼码礙碍礦矿祿禄禮礼種种積积穩稳築筑簡简糧粮紀纪約约",
    "紅红純纯級级紡纺絲丝經经綠绿綫线維维網网線线緣缘縣县總总織织續续",
    "纜缆羅罗義义習习聖圣聞闻聯联聲声聽听腦脑臺台與与興兴舉举舊旧莊庄",
    "華华萊莱萬万葉叶蓋盖蓮莲蔣蒋蔭荫蕭萧薈荟藍蓝藝艺藥药蘇苏蘭兰處处",
    "號号衆众衛卫補补裝装裡里製制見见規规視视親亲覺觉觀观計计記记設设",
    "許许評评詩诗誌志語语誠诚論论謝谢證证識识護护讓让豐丰貝贝負负財财",
    "貨货責责貴贵費费貿贸賀贺資资賈贾賓宾賢贤賣卖質质趙赵躍跃車车軍军",
    "軒轩輝辉輪轮辦办農农連连進进遊游運运過过達达違违遠远選选遼辽還还",
    "邊边郵邮鄉乡鄧邓鄭郑鄰邻醫医釋释銀银銹锈鋪铺鋼钢錢钱錦锦錫锡鍾钟",
    "鎖锁鎮镇鏈链鏡镜鏽锈鐘钟鐵铁長长門门閃闪開开閣阁閱阅闊阔關关陣阵",
    "陰阴陳陈陸陆陽阳隨随險险隱隐隴陇雙双雜杂雞鸡離离難难雲云電电霧雾",
    "靈灵靜静韓韩韻韵頂顶項项順顺須须領领頭头題题顏颜顧顾風风飛飞飯饭",
    "飾饰館馆馬马馮冯騰腾驗验驛驿髒脏體体魚鱼魯鲁鮮鲜鳥鸟鳳凤鳴鸣鵬鹏",
    "鶴鹤鷺鹭鹽盐麗丽麥麦黃黄點点齊齐龍龙龔龚",
];

/// [`TRADITIONAL_SIMPLIFIED`] as a map, built once.
fn simplified_of() -> &'static BTreeMap<char, char> {
    static MAP: OnceLock<BTreeMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = BTreeMap::new();
        for line in TRADITIONAL_SIMPLIFIED {
            let chars: Vec<char> = line.chars().collect();
            for pair in chars.chunks_exact(2) {
                map.insert(pair[0], pair[1]);
            }
        }
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_codes_and_names() {
        assert_eq!(nearest("A99", ["A01", "A09", "A19", "B22"]), vec!["A09", "A19"]);
        assert_eq!(
            nearest("南营门", ["南营门里", "福明里", "长沙路小区"]),
            vec!["南营门里"]
        );
        assert!(nearest("zzz", ["A01", "A02"]).is_empty());
    }

    const COMPOUNDS: [&str; 6] = ["宁静里", "永和里", "永安里", "和平里", "南营门里", "长沙路小区"];

    #[test]
    fn closest_leaves_out_far_guesses() {
        let headers = ["检查单位名称", "检查单位", "检查单号", "日期"];
        assert_eq!(
            nearest("检查单位名", headers),
            vec!["检查单位名称", "检查单位", "检查单号"]
        );
        assert_eq!(nearest_closest("检查单位名", headers), vec!["检查单位名称", "检查单位"]);
        assert_eq!(
            did_you_mean_closest("检查单位名", headers),
            " (did you mean \"检查单位名称\" or \"检查单位\"?)"
        );
        assert_eq!(did_you_mean_closest("zzz", headers), "");
    }

    #[test]
    fn keys_undo_how_people_write_names() {
        assert_eq!(name_key("宁靜里"), "宁静里");
        assert_eq!(name_key("永和里小区"), "永和里");
        assert_eq!(name_key("永和里（花园社区）"), "永和里");
        assert_eq!(name_key("永和里(花园社区)"), "永和里");
        assert_eq!(name_key(" 永和里 小區 "), "永和里");
        assert_eq!(name_key("私装地锁【红线】"), "私装地锁");
        assert_eq!(name_key("長沙路"), "长沙路");
        assert_eq!(name_key("小区"), "小区");
        assert_eq!(name_key("Ａ０１"), "A01");
    }

    #[test]
    fn the_same_name_written_another_way_comes_first() {
        assert_eq!(nearest("宁靜里", COMPOUNDS)[0], "宁静里");
        assert_eq!(nearest("永和里小区", COMPOUNDS)[0], "永和里");
        assert_eq!(nearest("永和里（花园社区）", COMPOUNDS)[0], "永和里");
        assert_eq!(nearest("永和里(花园社区)", COMPOUNDS)[0], "永和里");
        assert_eq!(nearest("長沙路", COMPOUNDS), vec!["长沙路小区"]);
        assert_eq!(did_you_mean("宁靜里", COMPOUNDS), " (did you mean \"宁静里\"?)");
        let items = ["私装地锁", "私搭乱建", "A01", "A02"];
        for s in ["私装地锁（红线）", "私装地锁(红线)", "私装地锁【红线】", "私裝地鎖"] {
            assert_eq!(nearest(s, items)[0], "私装地锁", "{s}");
        }
    }

    #[test]
    fn the_table_is_sorted_pairs_of_different_characters() {
        let chars: Vec<char> = TRADITIONAL_SIMPLIFIED.iter().flat_map(|l| l.chars()).collect();
        assert_eq!(chars.len() % 2, 0);
        let trad: Vec<char> = chars.chunks_exact(2).map(|p| p[0]).collect();
        assert!(trad.windows(2).all(|w| w[0] < w[1]));
        assert!(chars.chunks_exact(2).all(|p| p[0] != p[1]));
        assert!(simplified_of().len() >= 150);
    }
}

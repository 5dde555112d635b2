//! `--format docx` for the bulletin and the company pages (DESIGN §15): the demo's documents
//! opened as Word would, their parts checked, and their figures equal to the JSON.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::harness::run_in;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run on the demo, with the output to a file (a docx is not written to a terminal).
fn demo_bytes(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut all = vec!["--workspace", repo().to_str().unwrap()];
    all.extend_from_slice(args);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_oldestate"))
        .args(&all)
        .stdout(std::fs::File::create(&out).unwrap())
        .status()
        .unwrap();
    assert!(status.success(), "{args:?}");
    std::fs::read(out).unwrap()
}

/// A part of a docx (a zip), as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The text of a document's paragraphs, as Word shows it (the runs of each joined).
fn text(document_xml: &str) -> String {
    let doc = roxmltree::Document::parse(document_xml).unwrap();
    let mut out = String::new();
    for p in doc.descendants().filter(|n| n.has_tag_name("p")) {
        for t in p.descendants().filter(|n| n.has_tag_name("t")) {
            out += t.text().unwrap_or("");
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_bulletin_is_a_gongwen_in_word() {
    let docx = demo_bytes(&["bulletin", "--period", "2026H1", "--format", "docx"]);
    let xml = part(&docx, "word/document.xml");
    // A4 and the fonts of GB/T 9704.
    assert!(
        xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""),
        "page size"
    );
    assert!(xml.contains("仿宋_GB2312") && xml.contains("方正小标宋简体") && xml.contains("黑体"));
    assert!(xml.contains("FF0000"), "the red heading");
    let t = text(&xml);
    for part in [
        "天津市和平区民政局文件",
        "和民政通〔2026〕",
        "关于和平区2026年上半年旧楼区物业服务管理情况的通报",
        "各街道办事处：",
        "下一步工作要求",
        "天津市和平区民政局",
        "2026年6月30日",
        "抄送：区住房建设委，区财政局。",
    ] {
        assert!(t.contains(part), "{part} missing in:\n{t}");
    }
    // No file paths or hashes in the text; they are in the properties.
    assert!(!t.contains("sha256") && !t.contains("standards/"), "{t}");
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("standards/2026-01-01.toml sha256 d7aa769ac398"), "{core}");
    // Every figure as the JSON has it.
    let json = run_in(
        repo(),
        &[
            "--workspace",
            repo().to_str().unwrap(),
            "--format",
            "json",
            "bulletin",
            "--period",
            "2026H1",
        ],
    );
    let doc: Value = serde_json::from_str(&json.status(0).stdout).unwrap();
    let points = doc["summary"]["problem_points"].as_u64().unwrap();
    assert_eq!(points, 2344);
    assert!(t.contains("问题点位 2,344 处"), "{t}");
    let photos = doc["summary"]["photos"].as_u64().unwrap();
    assert!(
        t.contains(&format!("拍摄照片 {},{:03} 张", photos / 1000, photos % 1000)),
        "{t}"
    );
}

#[test]
fn a_street_brief_and_the_company_pages_are_word_documents_too() {
    let docx = demo_bytes(&["bulletin", "--period", "2026H1", "--street", "S01", "--format", "docx"]);
    let t = text(&part(&docx, "word/document.xml"));
    assert!(t.contains("（共58个）") && !t.contains("小白楼街"), "{t}");
    let docx = demo_bytes(&["company", "CO02", "--period", "2026H1", "--format", "docx"]);
    let t = text(&part(&docx, "word/document.xml"));
    assert!(t.contains("和平区2026年上半年物业服务企业服务记录"), "{t}");
    assert!(t.contains("天津市和平区民政局"), "{t}");
}

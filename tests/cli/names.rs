//! Streets, communities, compounds and companies named on the command line by their Chinese
//! names: the same output as by id, a suggestion by name for an unknown one, and the
//! candidates with their ids for a name several records answer to.

use std::path::Path;

use crate::harness::{run_in, Run, Ws};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `oldestate ARGS...` on the committed demo district.
fn demo(args: &[&str]) -> Run {
    let mut all = vec!["--workspace", repo().to_str().unwrap()];
    all.extend_from_slice(args);
    run_in(repo(), &all)
}

#[test]
fn a_street_by_name_gives_the_brief_of_its_id() {
    let by_id = demo(&["bulletin", "--period", "2026H1", "--street", "S01"]);
    by_id.status(0);
    assert!(by_id.stdout.contains("劝业场街"), "{}", by_id.stdout);
    for name in ["劝业场街", "劝业场", " 劝业场街道办事处 "] {
        let by_name = demo(&["bulletin", "--period", "2026H1", "--street", name]);
        by_name.status(0);
        assert_eq!(by_name.stdout, by_id.stdout, "--street {name}");
    }
}

#[test]
fn a_company_by_full_or_short_name_gives_the_record_of_its_id() {
    let args = |who: &'static str| ["company", who, "--period", "2026H1", "--format", "json"];
    let by_id = demo(&args("CO02"));
    by_id.status(0);
    assert!(
        by_id.stdout.contains("天津市劝业场物业服务有限公司"),
        "{}",
        by_id.stdout
    );
    for name in ["天津市劝业场物业服务有限公司", "劝业场物业"] {
        let by_name = demo(&args(name));
        by_name.status(0);
        assert_eq!(by_name.stdout, by_id.stdout, "company {name}");
    }
}

#[test]
fn an_unknown_name_is_answered_with_the_nearest_names_and_their_ids() {
    demo(&["company", "天津市劝业物业公司", "--period", "2026H1"])
        .status(1)
        .stderr_line(
            "oldestate: 没有名为「天津市劝业物业公司」的物业公司（是否为「天津市劝业场物业服务有限公司（CO02）」\
             或「天津市和平物业管理有限公司（CO01）」或「天津市宜居物业管理有限公司（CO09）」？）",
        );
    demo(&["bulletin", "--period", "2026H1", "--street", "劝业厂"])
        .status(1)
        .stderr_line("oldestate: 没有名为「劝业厂」的街道（是否为「劝业场街（S01）」？）");
}

#[test]
fn a_name_several_records_answer_to_lists_them_with_their_ids() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/companies.csv", "CO3,天津津南物业管理有限公司\n");
    ws.run(&["company", "津南物业", "--period", "2026H1"])
        .status(1)
        .stderr_line(
            "oldestate: 「津南物业」不唯一：可指 CO2 津南物业服务有限公司、CO3 天津津南物业管理有限公司；请用编号",
        );
    // The full name, or a short name only one company has, still picks it out.
    let by_id = ws.run(&["company", "CO3", "--period", "2026H1", "--format", "json"]);
    by_id.status(0);
    for name in ["天津津南物业管理有限公司", "津南物业管理"] {
        let by_name = ws.run(&["company", name, "--period", "2026H1", "--format", "json"]);
        by_name.status(0);
        assert_eq!(by_name.stdout, by_id.stdout, "company {name}");
    }
    ws.append("data/registry/compounds.csv", "P5,C3,营门里,,100,7000.00,2\n");
    ws.run(&["score", "--period", "2026H1", "--explain", "营门里"])
        .status(1)
        .stderr_line("oldestate: 「营门里」不唯一：可指 P1 南营门里、P5 营门里；请用编号");
}

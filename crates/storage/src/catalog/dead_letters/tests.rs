//! The dead-letter cap: each tenant's oldest letters leave past it, counted right through
//! replacements, removals and catalogs from before the cap.

use telemetryhub_model::{DeadLetter, DeadLetterError, DeadLetterQuery};

use super::{AGES_BUILT, DEAD_LETTERS, Evicted};
use crate::catalog::{Catalog, META, key2};

fn letter(tenant: &str, id: &str, received_ns: i64, index: u64) -> DeadLetter {
    DeadLetter {
        id: id.into(),
        tenant: tenant.into(),
        source: "jobs".into(),
        index,
        errors: vec![DeadLetterError {
            field: None,
            reason: "not JSON".into(),
        }],
        raw: format!("garbage {id}"),
        received_ns,
    }
}

fn ids(catalog: &Catalog, tenant: &str) -> Vec<String> {
    let mut ids: Vec<String> = catalog
        .dead_letters(&DeadLetterQuery {
            tenant: tenant.into(),
            source: None,
            limit: usize::MAX,
        })
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    ids.sort();
    ids
}

fn open() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(&dir.path().join("catalog.redb")).unwrap();
    (dir, catalog)
}

fn evicted(tenant: &str, letters: u64) -> Vec<Evicted> {
    vec![Evicted {
        tenant: tenant.into(),
        letters,
    }]
}

#[test]
fn the_cap_evicts_each_tenants_oldest_letters() {
    let (_dir, catalog) = open();
    let cap = 3;
    let first: Vec<DeadLetter> = (0..2)
        .map(|i| letter("t", &format!("a{i}"), 10, i))
        .collect();
    assert_eq!(catalog.put_dead_letters(&first, cap).unwrap(), vec![]);
    // Another tenant's letters count against its own cap only.
    let other: Vec<DeadLetter> = (0..3)
        .map(|i| letter("u", &format!("o{i}"), 5, i))
        .collect();
    assert_eq!(catalog.put_dead_letters(&other, cap).unwrap(), vec![]);

    let second: Vec<DeadLetter> = (0..3)
        .map(|i| letter("t", &format!("b{i}"), 20, i))
        .collect();
    assert_eq!(
        catalog.put_dead_letters(&second, cap).unwrap(),
        evicted("t", 2),
        "the two older letters leave"
    );
    assert_eq!(ids(&catalog, "t"), ["b0", "b1", "b2"]);
    assert_eq!(catalog.dead_letter_count("t").unwrap(), 3);
    assert_eq!(ids(&catalog, "u"), ["o0", "o1", "o2"]);

    // A batch larger than the cap keeps its own last rows: within a batch, later is newer.
    let third: Vec<DeadLetter> = (0..5)
        .map(|i| letter("t", &format!("c{i}"), 30, i))
        .collect();
    assert_eq!(
        catalog.put_dead_letters(&third, cap).unwrap(),
        evicted("t", 5)
    );
    assert_eq!(ids(&catalog, "t"), ["c2", "c3", "c4"]);
    assert_eq!(catalog.dead_letter_count("t").unwrap(), 3);
    assert_eq!(catalog.dead_letter_count("u").unwrap(), 3);
}

#[test]
fn replacements_and_removals_keep_the_count_and_the_age_order() {
    let (_dir, catalog) = open();
    let cap = 2;
    catalog
        .put_dead_letters(&[letter("t", "a", 10, 0)], cap)
        .unwrap();
    catalog
        .put_dead_letters(&[letter("t", "b", 20, 0)], cap)
        .unwrap();
    // The same letter again (a replay still bad): replaced, counted once, and now the newest.
    assert_eq!(
        catalog
            .put_dead_letters(&[letter("t", "a", 30, 0)], cap)
            .unwrap(),
        vec![]
    );
    assert_eq!(catalog.dead_letter_count("t").unwrap(), 2);
    assert_eq!(
        catalog
            .put_dead_letters(&[letter("t", "c", 40, 0)], cap)
            .unwrap(),
        evicted("t", 1)
    );
    assert_eq!(ids(&catalog, "t"), ["a", "c"], "b, now the oldest, left");

    catalog
        .remove_dead_letters("t", &["a".into(), "unknown".into()])
        .unwrap();
    assert_eq!(catalog.dead_letter_count("t").unwrap(), 1);
    catalog
        .put_dead_letters(&[letter("t", "d", 50, 0)], cap)
        .unwrap();
    assert_eq!(ids(&catalog, "t"), ["c", "d"], "room left by the removal");
}

/// Letters stored before the cap existed have no age keys or counts: they are built once at
/// open, and the cap then applies to them as to any.
#[test]
fn letters_stored_before_the_cap_are_counted_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.redb");
    {
        let catalog = Catalog::open(&path).unwrap();
        let write = catalog.db.begin_write().unwrap();
        {
            let mut table = write.open_table(DEAD_LETTERS).unwrap();
            for i in 0..4 {
                let old = letter("t", &format!("old{i}"), 10 + i as i64, 0);
                let json = serde_json::to_vec(&old).unwrap();
                table
                    .insert(key2("t", &old.id).as_str(), json.as_slice())
                    .unwrap();
            }
            table
                .insert(key2("t", "unreadable").as_str(), &b"{"[..])
                .unwrap();
            // As an earlier version left it: no age keys, no counts, no mark.
            write.open_table(META).unwrap().remove(AGES_BUILT).unwrap();
            write.delete_table(super::AGES).unwrap();
            write.delete_table(super::COUNTS).unwrap();
        }
        write.commit().unwrap();
    }
    let catalog = Catalog::open(&path).unwrap();
    assert_eq!(catalog.dead_letter_count("t").unwrap(), 5);
    assert_eq!(
        catalog
            .put_dead_letters(&[letter("t", "new", 100, 0)], 3)
            .unwrap(),
        evicted("t", 3),
        "the unreadable letter and the two oldest"
    );
    assert_eq!(ids(&catalog, "t"), ["new", "old2", "old3"]);
    assert_eq!(catalog.dead_letter_count("t").unwrap(), 3);
}

/// A listing reads from the newest batch back, each batch by index, stopping at the limit; other
/// tenants' letters (even with names alike) never show.
#[test]
fn listings_are_newest_batch_first_each_by_index() {
    let (_dir, catalog) = open();
    let cap = 100;
    let mut first: Vec<DeadLetter> = (0..3)
        .map(|i| letter("t", &format!("a{i}"), 10, i))
        .collect();
    first[1].source = "other".into();
    catalog.put_dead_letters(&first, cap).unwrap();
    // A batch stored in reverse index order.
    let second: Vec<DeadLetter> = (0..4)
        .rev()
        .map(|i| letter("t", &format!("b{i}"), 20, i))
        .collect();
    catalog.put_dead_letters(&second, cap).unwrap();
    for tenant in ["t2", "u"] {
        catalog
            .put_dead_letters(&[letter(tenant, "x", 30, 0)], cap)
            .unwrap();
    }
    let list = |source: Option<&str>, limit: usize| -> Vec<String> {
        catalog
            .dead_letters(&DeadLetterQuery {
                tenant: "t".into(),
                source: source.map(Into::into),
                limit,
            })
            .unwrap()
            .into_iter()
            .map(|l| l.id)
            .collect()
    };
    assert_eq!(list(None, 100), ["b0", "b1", "b2", "b3", "a0", "a1", "a2"]);
    assert_eq!(list(None, 2), ["b0", "b1"]);
    assert_eq!(list(None, 5), ["b0", "b1", "b2", "b3", "a0"]);
    assert_eq!(list(Some("other"), 100), ["a1"]);
    assert!(list(None, 0).is_empty());
}

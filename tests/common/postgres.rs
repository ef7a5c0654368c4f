//! A fresh PostgreSQL database per test, on the server named by `CANDOR_TEST_POSTGRES_URL`
//! (`scripts/test` starts a throwaway cluster and sets it). Tests run in parallel threads and
//! each gets a database of its own, so none sees another's rows; the database is dropped when the
//! test finishes (a failed test leaves its database behind for a look, in the throwaway cluster).

use std::future::Future;

use sqlx::{Connection as _, Executor as _};

/// The variable naming the test server (a URL with a user allowed to create databases).
pub const URL_ENV: &str = "CANDOR_TEST_POSTGRES_URL";

/// What a PostgreSQL test prints when it does not run.
pub const SKIPPED: &str = "skipped: CANDOR_TEST_POSTGRES_URL not set \
     (scripts/test starts a throwaway PostgreSQL and sets it)";

/// The server's URL, when configured.
pub fn server_url() -> Option<String> {
    std::env::var(URL_ENV).ok().filter(|u| !u.trim().is_empty())
}

/// A database created for one test.
pub struct Database {
    /// Its URL (the server's URL with the database name replaced).
    pub url: String,
    name: String,
    server: String,
}

impl Database {
    /// Creates an empty database on the server at `server`.
    pub async fn create(server: &str) -> Database {
        let name = format!("candor_test_{}", candor::portal::store::new_id('t'));
        let mut conn = sqlx::postgres::PgConnection::connect(server)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {URL_ENV}: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
        conn.close().await.ok();
        Database {
            url: with_database(server, &name),
            name,
            server: server.to_owned(),
        }
    }

    /// Drops the database (every connection to it must be closed or is terminated).
    pub async fn drop(self) {
        let mut conn = sqlx::postgres::PgConnection::connect(&self.server)
            .await
            .expect("connect to drop the test database");
        conn.execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await
            .expect("drop the test database");
        conn.close().await.ok();
    }
}

/// `url` with its database (the path) replaced by `name`, query parameters kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (authority, query) = match rest.find(['/', '?']) {
        Some(i) => {
            let (a, tail) = rest.split_at(i);
            (a, tail.find('?').map_or("", |q| &tail[q..]))
        }
        None => (rest, ""),
    };
    format!("{scheme}://{authority}/{name}{query}")
}

/// Runs a future to completion on a small runtime (for tests that are not async).
pub fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

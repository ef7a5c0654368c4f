//! The HTTP server loop under `candor serve`: hyper with a header-read timeout (plain
//! `axum::serve` has none, so a client trickling half a header would hold a connection forever),
//! the peer address for rate limits and the audit log, and a graceful shutdown that lets
//! responses in flight (downloads) finish.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// Environment variable: seconds a client may take to send the request head (default 10).
pub const HEADER_TIMEOUT_ENV: &str = "CANDOR_HEADER_READ_TIMEOUT";
/// How long shutdown waits for responses in flight.
const DRAIN: Duration = Duration::from_secs(30);

/// Seconds from the environment variable `name`, or `default`.
fn env_secs(name: &str, default: u64) -> Duration {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0 && *s < 3600.0)
        .map_or(Duration::from_secs(default), Duration::from_secs_f64)
}

fn header_timeout() -> Duration {
    env_secs(HEADER_TIMEOUT_ENV, 10)
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting and waits (up to
/// 30 s) for open connections to finish their responses.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let timeout = header_timeout();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(_) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = tower::ServiceExt::map_request(app.clone(), move |mut req: axum::http::Request<Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(peer));
                    req
                });
                let conn = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(timeout)
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            eprintln!("Shutdown: some connections did not finish within {} s", DRAIN.as_secs());
        }
    }
    Ok(())
}

//! `sa-demo-server`: parse the configuration, start the app, serve until
//! Ctrl-C or SIGTERM (then stop the Workers and the embedded dev server).

use sa_demo_server::config::{Config, Role};
use sa_demo_server::{App, serve};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,temporalio_sdk_core=warn,temporalio_client=warn".into()),
        )
        .init();
    // `--help` and `--version` print and exit 0; a bad flag or variable exits 2.
    let config = Config::parse_from(std::env::args_os(), |k| std::env::var(k).ok())
        .unwrap_or_else(|e| e.exit());
    let app = App::start(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!("serving the demo at {url}");
    match app.role() {
        Role::Worker => {
            println!("\n  Temporal Standalone Activities demo, Workers (probes): {url}\n")
        }
        _ => println!("\n  Temporal Standalone Activities demo: {url}\n"),
    }
    serve(app, listener, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

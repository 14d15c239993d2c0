//! `server` — serve the shop, or run one of its maintenance commands.

use std::process::ExitCode;

use app::backend::accounts::{self, AdminCreated};
use app::backend::config::Config;
use app::backend::mail::Mailer;
use app::backend::seed::{self, DEMO_ADMIN, DEMO_BUYER, DEMO_ORGANIZER, DEMO_PASSWORD};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use server::{MIGRATOR, build_state, router, telemetry};

/// mimalloc rather than glibc's malloc: glibc kept the freed 19 MiB password
/// hash buffers in per-thread arenas (a server stayed at 230-530 MiB after a
/// burst of sign-ins), and malloc/free took about 13% of the server's CPU
/// serving the home page.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Ticket Sales: the shop's server and maintenance commands")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the shop (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Migrate, then add the demo accounts and events (safe to repeat).
    Seed,
    /// Manage admin accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Exit 0 when this machine's server answers `/readyz` with 200 within 2 s
    /// (a container health check that needs no curl).
    Healthcheck,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin account. The password is read from ADMIN_PASSWORD, or
    /// generated and printed once. An existing account is refused unless
    /// --promote is given; it then becomes an admin and keeps its password.
    Create {
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
        /// Make an existing (self-registered) account an admin.
        #[arg(long)]
        promote: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    telemetry::init();
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    if let Command::Healthcheck = command {
        return healthcheck().await;
    }
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    let mut leptos_options = get_configuration(None)?.leptos_options;
    server::use_hashed_assets(&mut leptos_options);
    let addr = leptos_options.site_addr;
    let state = build_state(config, leptos_options).await?;
    if !matches!(command, Command::Serve) || state.config.migrate_on_serve {
        MIGRATOR.run(&state.db).await?;
    }

    match command {
        Command::Migrate => {
            println!("database migrated");
        }
        Command::Seed => {
            let report = seed::seed_demo(&state.db, &state.covers).await?;
            println!(
                "demo data ready ({} new events, {} covers, {} paid orders)",
                report.events_created, report.covers_set, report.orders_paid
            );
            println!(
                "demo logins (password {DEMO_PASSWORD:?}): {DEMO_ADMIN} (admin), {DEMO_ORGANIZER} (organizer), {DEMO_BUYER} (buyer)"
            );
        }
        Command::Admin(AdminCommand::Create {
            email,
            name,
            promote,
        }) => {
            let given = std::env::var("ADMIN_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty());
            let password = given
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
            let outcome = accounts::create_admin(&state.db, &email, &name, &password, promote)
                .await
                .map_err(app::error::AppError::from)?;
            match outcome {
                AdminCreated::Promoted { name } => println!(
                    "promoted the existing account of {name} <{email}> to admin (its password is unchanged)"
                ),
                AdminCreated::AlreadyAdmin => {
                    println!("{email} is already an admin; nothing changed")
                }
                AdminCreated::Created if given.is_some() => {
                    println!("admin {email} created with the password from ADMIN_PASSWORD")
                }
                AdminCreated::Created => {
                    println!("admin {email} created; password (shown once): {password}")
                }
            }
        }
        // Answered in `main`, before any configuration is read.
        Command::Healthcheck => {}
        Command::Serve => {
            if state.payments.is_none() {
                tracing::warn!(
                    "STRIPE_SECRET_KEY is not set: checkout is disabled (make run sets it for the local Stripe emulator)"
                );
            }
            if state.config.app_secret_generated {
                tracing::warn!(
                    "APP_SECRET is not set: a key of this process's own signs error links; set one shared by every instance"
                );
            }
            let valkey = state.valkey.clone();
            let sweeper = server::sweeper::spawn(state.clone(), state.config.sweeper_interval);
            let mail = match Mailer::from_config(&state.config)? {
                Some(mailer) => Some(server::mail_worker::spawn(
                    state.clone(),
                    mailer,
                    state.config.mail.poll_interval,
                )),
                None => {
                    tracing::warn!(
                        "SMTP_URL is not set: messages wait in the outbox until it is (make run starts a local mail catcher)"
                    );
                    None
                }
            };
            if let Some(metrics_addr) = state.config.metrics.addr {
                // Metrics are no reason to refuse to sell tickets: a port
                // already taken (a second instance on one machine) is said
                // plainly and the shop carries on without them.
                match tokio::net::TcpListener::bind(metrics_addr).await {
                    Ok(listener) => {
                        tracing::info!("metrics on http://{metrics_addr}/metrics");
                        tokio::spawn(server::serve(
                            listener,
                            server::metrics::router(state.clone()),
                            std::future::pending(),
                        ));
                    }
                    Err(err) => tracing::error!(
                        %metrics_addr, error = %err,
                        "metrics not served: set METRICS_ADDR to a free address (or off)"
                    ),
                }
            }
            let listener = tokio::net::TcpListener::bind(addr).await?;
            tracing::info!("Ticket Sales listening on http://{addr}");
            server::serve(listener, router(state).await?, shutdown_signal()).await?;
            sweeper.abort();
            if let Some(mail) = mail {
                mail.abort();
            }
            valkey.quit().await;
            tracing::info!("shut down cleanly");
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    server::health::start_draining();
    tracing::info!("shutdown requested; finishing in-flight requests");
}

/// `server healthcheck`: asks the local server's `/readyz` (the port from
/// LEPTOS_SITE_ADDR, on loopback whatever address it binds).
async fn healthcheck() -> ExitCode {
    let port = get_configuration(None)
        .map(|conf| conf.leptos_options.site_addr.port())
        .unwrap_or(3000);
    let answer = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(2))
        .build()
        .map(|client| client.get(format!("http://127.0.0.1:{port}/readyz")).send());
    match answer {
        Ok(request) => match request.await {
            Ok(res) if res.status().is_success() => ExitCode::SUCCESS,
            Ok(res) => {
                eprintln!("not ready: {}", res.status());
                ExitCode::FAILURE
            }
            Err(err) => {
                eprintln!("no answer: {err}");
                ExitCode::FAILURE
            }
        },
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

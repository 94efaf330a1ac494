using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SchemaBuild.Tests.Shared;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// The pull-request check (action/schema-pr.sh, run by action.yml and the Azure Pipelines template)
/// against a sample repository with a base and a head commit: the comment the tool builds, the exit
/// codes, the SARIF, and the shape of the API requests (written to a folder instead of sent).
/// </summary>
public sealed class PullRequestCheckTests : IDisposable
{
    private const string Marker = "<!-- schemabuild-plan: App.csproj -->";
    private const string Token = "ghs_secret-token-never-printed";
    private readonly SchemaProjectFolder repository = new("mariadb");

    public PullRequestCheckTests()
    {
        repository
            .Write("Schema/users.sql", "CREATE TABLE users (\n  id BIGINT NOT NULL PRIMARY KEY,\n  email VARCHAR(100) NOT NULL,\n  fax VARCHAR(40) NULL\n);\n")
            .Write("Schema/events.sql", "CREATE TABLE events (\n  id INT NOT NULL PRIMARY KEY,\n  payload TEXT NOT NULL\n);\n");
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("commit", "-q", "-m", "base");
        Git("checkout", "-q", "-b", "feature");
    }

    [Fact]
    public void An_unsafe_change_gets_one_comment_with_steps_sql_copies_and_linked_diagnostics_and_fails()
    {
        // Head: fax dropped (SB1002 error), events.id widened (a ghost copy on MariaDB), a new table.
        repository
            .Write("Schema/users.sql", "CREATE TABLE users (\n  id BIGINT NOT NULL PRIMARY KEY,\n  email VARCHAR(100) NOT NULL\n);\n")
            .Write("Schema/events.sql", "CREATE TABLE events (\n  id BIGINT NOT NULL PRIMARY KEY,\n  payload TEXT NOT NULL\n);\n")
            .Write("Schema/orders.sql", "CREATE TABLE orders (\n  id BIGINT NOT NULL PRIMARY KEY\n);\n")
            .Write("rows.json", "{\"events\": 3000000}");
        Commit("head");

        var run = RunCheck("github", new Dictionary<string, string?> { ["SCHEMA_TABLE_ROWS"] = "rows.json" });
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.StandardOutput}\n{run.StandardError}");

        var comment = File.ReadAllText(Path.Combine(repository.Root, "schemabuild-pr", "comment.md"));
        Assert.StartsWith(Marker + "\n", comment);
        Assert.Contains(":x: **Unsafe**", comment);
        Assert.Contains("<details><summary>", comment);
        Assert.Contains("```sql\nALTER TABLE `users` DROP COLUMN `fax`", comment);
        Assert.Contains("CREATE TABLE `orders`", comment);
        Assert.Contains("### Ghost copies", comment);
        Assert.Contains("| 3,000,000 | about 3 min |", comment);
        Assert.Matches(@"\[\*\*SB1002\*\*\]\(https://[^)]+/docs/rules/SB1002\.md\)", comment);
        Assert.Contains("`Schema/users.sql:1`", comment);

        // The annotations on the diff, the SARIF for code scanning with its rule links, the job summary and the outputs.
        Assert.Contains("::error file=Schema/users.sql,line=1", run.StandardOutput);
        Assert.Matches("\"helpUri\": \"https://[^\"]+/docs/rules/SB1002.md\"", File.ReadAllText(Path.Combine(repository.Root, "schemabuild-pr", "schema.sarif")));
        Assert.Equal(comment, File.ReadAllText(Path.Combine(repository.Root, "summary.md")));
        Assert.Contains("exit-code=1", File.ReadAllText(Path.Combine(repository.Root, "github-output.txt")));

        // No comment of ours yet: list the comments, then create one.
        var requests = Requests();
        Assert.Equal(2, requests.Count);
        Assert.Equal("GET https://api.github.com/repos/acme/shop/issues/7/comments?per_page=100", requests[0].Line);
        Assert.Equal("POST https://api.github.com/repos/acme/shop/issues/7/comments", requests[1].Line);
        Assert.Equal(comment, JsonDocument.Parse(requests[1].Body).RootElement.GetProperty("body").GetString());
        Assert.DoesNotContain(Token, string.Concat(requests.Select(r => r.Line + r.Body)) + run.StandardOutput + run.StandardError);
    }

    [Fact]
    public void A_later_push_updates_the_same_comment()
    {
        repository.Write("Schema/orders.sql", "CREATE TABLE orders (\n  id BIGINT NOT NULL PRIMARY KEY\n);\n");
        Commit("head");
        var api = Directory.CreateDirectory(Path.Combine(repository.Root, "api")).FullName;
        File.WriteAllText(Path.Combine(api, "001.response"),
            "[{\"id\": 11, \"body\": \"a reviewer's comment\"}, {\"id\": 42, \"body\": \"" + Marker + "\\nold plan\"}]");

        var run = RunCheck("github");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.StandardOutput}\n{run.StandardError}");
        var requests = Requests();
        Assert.Equal("PATCH https://api.github.com/repos/acme/shop/issues/comments/42", requests[1].Line);
        Assert.Contains(":white_check_mark: **Safe to deploy**: 1 step(s)", JsonDocument.Parse(requests[1].Body).RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public void Azure_pipelines_get_the_summary_tab_and_a_pull_request_status()
    {
        repository.Write("Schema/users.sql", "CREATE TABLE users (\n  id BIGINT NOT NULL PRIMARY KEY,\n  email VARCHAR(100) NOT NULL\n);\n");
        Commit("head");
        var run = RunCheck("azure", new Dictionary<string, string?>
        {
            ["SYSTEM_ACCESSTOKEN"] = Token,
            ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/acme/",
            ["SYSTEM_TEAMPROJECT"] = "shop",
            ["BUILD_REPOSITORY_ID"] = "repo-1",
            ["BUILD_BUILDID"] = "77",
            ["SYSTEM_PULLREQUEST_PULLREQUESTID"] = "9",
        });
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.StandardOutput}\n{run.StandardError}");
        Assert.Contains($"##vso[task.uploadsummary]{Path.Combine(repository.Root, "schemabuild-pr", "comment.md")}", run.StandardOutput);
        var status = Requests().Single();
        Assert.Equal("POST https://dev.azure.com/acme/shop/_apis/git/repositories/repo-1/pullRequests/9/statuses?api-version=7.1", status.Line);
        var body = JsonDocument.Parse(status.Body).RootElement;
        Assert.Equal("failed", body.GetProperty("state").GetString());
        Assert.Equal("schema-plan", body.GetProperty("context").GetProperty("name").GetString());
        Assert.DoesNotContain(Token, status.Body + run.StandardOutput + run.StandardError);
    }

    [Fact]
    public void The_action_and_the_azure_template_run_this_script_and_fail_after_publishing_sarif()
    {
        var action = File.ReadAllText(Path.Combine(SchemaProjectFolder.RepositoryRoot, "action.yml"));
        Assert.Contains("using: composite", action);
        Assert.Contains("bash \"${{ github.action_path }}/action/schema-pr.sh\"", action);
        Assert.True(action.IndexOf("github/codeql-action/upload-sarif", StringComparison.Ordinal) < action.IndexOf("Fail on unsafe changes", StringComparison.Ordinal),
            "the SARIF upload must run before the step that fails the check");
        var azure = File.ReadAllText(Path.Combine(SchemaProjectFolder.RepositoryRoot, "action", "azure-pipelines.yml"));
        Assert.Contains("SCHEMA_PROVIDER: azure", azure);
        Assert.Contains("SYSTEM_ACCESSTOKEN: $(System.AccessToken)", azure);
        Assert.Contains("action/schema-pr.sh", azure);
    }

    public void Dispose() => repository.Dispose();

    private CommandLine.Result RunCheck(string provider, IDictionary<string, string?>? extra = null)
    {
        var api = Directory.CreateDirectory(Path.Combine(repository.Root, "api")).FullName;
        var environment = new Dictionary<string, string?>
        {
            ["SCHEMA_TOOL"] = "dotnet " + Path.Combine(AppContext.BaseDirectory, "dotnet-schema.dll"),
            ["SCHEMA_PROJECT"] = "App.csproj",
            ["SCHEMA_BASE_REF"] = "main",
            ["SCHEMA_PROVIDER"] = provider,
            ["SCHEMA_API_DRY_RUN"] = api,
            ["GITHUB_TOKEN"] = Token,
            ["GITHUB_REPOSITORY"] = "acme/shop",
            ["SCHEMA_PR_NUMBER"] = "7",
            ["GITHUB_OUTPUT"] = Path.Combine(repository.Root, "github-output.txt"),
            ["GITHUB_STEP_SUMMARY"] = Path.Combine(repository.Root, "summary.md"),
            ["GITHUB_API_URL"] = null,
            ["TF_BUILD"] = null,
        };
        foreach (var pair in extra ?? new Dictionary<string, string?>())
        {
            environment[pair.Key] = pair.Value;
        }

        var script = Path.Combine(SchemaProjectFolder.RepositoryRoot, "action", "schema-pr.sh");
        return CommandLine.Run("bash", new[] { script }, null, environment, TimeSpan.FromMinutes(3), repository.Root);
    }

    private List<(string Line, string Body)> Requests() =>
        Directory.GetFiles(Path.Combine(repository.Root, "api"), "*.request").OrderBy(f => f, StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Select(text =>
            {
                var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
                Assert.Equal("Authorization: <token>", text.Split('\n')[1]);
                return (text.Split('\n')[0], text.Substring(blank + 2));
            })
            .ToList();

    private void Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
    }

    private void Git(params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "test", ["GIT_AUTHOR_EMAIL"] = "test@example.com",
            ["GIT_COMMITTER_NAME"] = "test", ["GIT_COMMITTER_EMAIL"] = "test@example.com",
        };
        var result = CommandLine.Run("git", arguments, null, environment, TimeSpan.FromMinutes(1), repository.Root);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.StandardError}");
    }
}

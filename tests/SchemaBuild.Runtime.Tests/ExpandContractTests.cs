using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>
/// Expand/contract against a live database: the deployed model is kept with its annotations in the
/// control tables, so a column deprecated in one release and dropped in the next is a planned
/// contraction for <c>diff</c> and <c>deploy --schema</c> too, not only for a file baseline.
/// </summary>
public sealed class ExpandContractTests
{
    public static TheoryData<string> Engines() => new() { "mariadb", "postgres" };

    private static string Accounts(string engine, bool deprecated, bool withLegacy)
    {
        var text = engine == "postgres" ? "text" : "varchar(100)";
        var legacy = withLegacy ? $",\n    legacy_name {text} NULL{(deprecated ? " -- schema:deprecated \"use email\"" : string.Empty)}" : string.Empty;
        return $"CREATE TABLE accounts (\n    id integer NOT NULL PRIMARY KEY,\n    email {text} NOT NULL{legacy}\n);\n";
    }

    private static string Folder(string sql)
    {
        var folder = Path.Combine(Path.GetTempPath(), "sb-expand-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "accounts.sql"), sql);
        return folder;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_column_deprecated_in_one_release_is_a_planned_contraction_when_the_next_drops_it_against_the_live_database(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "expand_" + engine);
        await using var bare = await TestDatabase.CreateAsync(dialect, "expand_bare_" + engine);
        var release1 = Folder(Accounts(engine, deprecated: false, withLegacy: true));
        var release2 = Folder(Accounts(engine, deprecated: true, withLegacy: true));
        var release3 = Folder(Accounts(engine, deprecated: false, withLegacy: false));
        try
        {
            var first = SchemaTool.Run("deploy", "--schema", release1, "--connection", database.UrlText);
            Assert.True(first.ExitCode == 0, first.ToString());

            // Deprecating changes no table: nothing runs, yet the annotation is recorded.
            var second = SchemaTool.Run("deploy", "--schema", release2, "--connection", database.UrlText);
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("nothing to do", second.Output, StringComparison.Ordinal);

            var diff = SchemaTool.Run("diff", "--schema", release3, "--connection", database.UrlText);
            Assert.True(diff.ExitCode == 0, "dropping a deprecated column is a planned contraction: " + diff);
            Assert.Contains("warning SB1002", diff.Error, StringComparison.Ordinal);
            Assert.Contains("legacy_name", diff.Output, StringComparison.Ordinal);

            // The same schema deployed without the deprecation: the drop is a surprise, refused.
            Assert.Equal(0, SchemaTool.Run("deploy", "--schema", release1, "--connection", bare.UrlText).ExitCode);
            var refused = SchemaTool.Run("diff", "--schema", release3, "--connection", bare.UrlText);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains("error SB1002", refused.Error, StringComparison.Ordinal);

            var third = SchemaTool.Run("deploy", "--schema", release3, "--connection", database.UrlText);
            Assert.True(third.ExitCode == 0, third.ToString());
            await using var session = await database.OpenAsync();
            var live = await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
            Assert.Null(live.Tables.Single(t => t.Name.Name == "accounts").FindColumn("legacy_name"));
        }
        finally
        {
            foreach (var folder in new[] { release1, release2, release3 })
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_recorded_model_stands_for_the_live_schema_only_while_it_is_unchanged_and_older_control_tables_upgrade(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, string.Empty, Accounts(engine, deprecated: true, withLegacy: true));
        await using var database = await TestDatabase.CreateAsync(dialect, "expand_store_" + engine);
        await using var session = await database.OpenAsync();

        // Control tables as the previous layout (version 5) left them: no deployed model yet, and reading one is no error.
        var store = new DeploymentStateStore(session, StateTableNames.Default);
        await store.EnsureCreatedAsync(CancellationToken.None);
        await session.ExecuteAsync($"DROP TABLE {session.Writer.QuoteIdentifier(StateTableNames.Default.DeployedModel)}", null, CancellationToken.None);
        await session.ExecuteAsync($"UPDATE {session.Writer.QuoteIdentifier(StateTableNames.Default.Version)} SET value = 5", null, CancellationToken.None);
        var empty = await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        Assert.Null(await new DeploymentStateStore(session, StateTableNames.Default).DeployedModelAsync(empty, CancellationToken.None));

        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        var upgraded = new DeploymentStateStore(session, StateTableNames.Default);
        Assert.Equal(DeploymentStateStore.CurrentVersion, await upgraded.VersionAsync(CancellationToken.None));

        var live = await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        Assert.True(live.Tables.Single().FindColumn("legacy_name")!.Annotations.IsEmpty, "the server knows nothing of annotations");
        var deployed = await upgraded.DeployedModelAsync(live, CancellationToken.None);
        Assert.NotNull(deployed);
        Assert.Equal("use email", deployed!.Tables.Single().FindColumn("legacy_name")!.Annotations.Deprecated);
        Assert.Equal("scenario.sql", deployed.Tables.Single().Span.File);

        // Changed by hand: the recorded model no longer describes the live schema and is not used.
        await database.RunAsync("ALTER TABLE accounts ADD COLUMN hotfix integer NULL");
        var drifted = await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        Assert.Null(await upgraded.DeployedModelAsync(drifted, CancellationToken.None));
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SchemaBuild.Runtime.Tests.Security;

/// <summary>Issue 10 §1: a command text that carries a second statement is refused before anything of it runs, on both engines.</summary>
public sealed class MultiStatementTests
{
    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task A_second_statement_in_one_command_is_never_executed(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "multi_" + engine);
        await database.RunAsync("CREATE TABLE victim (id int PRIMARY KEY)");
        await using var session = await database.OpenAsync();

        var attempts = new Func<Task>[]
        {
            () => session.ExecuteAsync("CREATE TABLE first_one (id int); DROP TABLE victim", null, CancellationToken.None),
            () => session.QueryAsync("SELECT 1; DROP TABLE victim", null, CancellationToken.None),
            () => session.QueryAsync("SELECT " + session.Parameter(0) + "; DROP TABLE victim", new object?[] { 1 }, CancellationToken.None),
            () => session.ExecuteBatchAsync("INSERT INTO victim (id) VALUES (" + session.Parameter(0) + "); DROP TABLE victim", new[] { new object?[] { 1 } }, CancellationToken.None),
            () => session.RunInTransactionAsync(new[] { "CREATE TABLE first_one (id int); DROP TABLE victim" }, CancellationToken.None),
        };
        foreach (var attempt in attempts)
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(attempt);
            Assert.Contains("one statement per command", refused.Message, StringComparison.Ordinal);
        }

        Assert.True(await session.TableExistsAsync("victim", CancellationToken.None));
        Assert.False(await session.TableExistsAsync("first_one", CancellationToken.None));
        Assert.Equal(0L, Convert.ToInt64((await session.QueryAsync("SELECT COUNT(*) FROM victim", null, CancellationToken.None))[0][0], System.Globalization.CultureInfo.InvariantCulture));

        // One statement with a ';' inside a literal or a body still runs.
        await session.ExecuteAsync("INSERT INTO victim (id) SELECT 1 WHERE 'a;b' <> ''", null, CancellationToken.None);
        Assert.Equal(1L, Convert.ToInt64((await session.QueryAsync("SELECT COUNT(*) FROM victim", null, CancellationToken.None))[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }
}

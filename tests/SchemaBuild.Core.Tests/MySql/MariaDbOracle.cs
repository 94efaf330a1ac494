using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Syntax;
using SchemaBuild.Core.Tests.Infrastructure;
using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Core.Tests.MySql;

/// <summary>
/// The real MariaDB server as the oracle: a throwaway database per test, loaded with the mariadb
/// command-line client, read back with SHOW CREATE TABLE / SHOW CREATE VIEW.
/// </summary>
public sealed class MariaDbOracle : IDisposable
{
    private static int counter;
    private readonly TestServer server = TestServer.MariaDb;

    public MariaDbOracle(string label)
    {
        var clean = new string(label.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());
        Database = "sbt_" + (clean.Length > 30 ? clean.Substring(0, 30) : clean) + "_"
            + Environment.ProcessId + "_" + Interlocked.Increment(ref counter);
        Run(null, $"DROP DATABASE IF EXISTS `{Database}`; CREATE DATABASE `{Database}`");
    }

    public string Database { get; }

    /// <summary>
    /// Runs a schema file in the test database; throws with the server's message on error. Routine
    /// bodies hold ';', so statements are split the way the parser splits them and sent with another delimiter.
    /// </summary>
    public void Load(string sql)
    {
        var lex = MySqlLexer.Lex(new SourceFile("load", sql));
        var script = new StringBuilder("DELIMITER $$\n");
        var i = 0;
        var start = 0;
        while (i < lex.Tokens.Count - 1)
        {
            // Text between terminators, so executable comments stay whole.
            var end = MySqlParser.StatementEnd(lex.Tokens, i);
            if (end > i)
            {
                script.Append(sql, start, lex.Tokens[end].Start - start).Append("\n$$\n");
            }

            start = lex.Tokens[end].End;
            i = end + 1;
        }

        Run(Database, script.ToString());
    }

    /// <summary>SHOW CREATE output of every table and view, as one script.</summary>
    public string ShowCreateAll()
    {
        var objects = Query(null,
            $"SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = '{Database}' ORDER BY table_name");
        var script = new StringBuilder();
        foreach (var row in objects)
        {
            var view = row[1] == "VIEW";
            var create = Query(Database, (view ? "SHOW CREATE VIEW `" : "SHOW CREATE TABLE `") + row[0].Replace("`", "``") + "`");
            script.Append(create[0][1]).Append(";\n");
        }

        return script.ToString();
    }

    /// <summary>The first column of the first row of a query in the test database.</summary>
    public string Scalar(string sql) => Query(Database, sql).Select(row => row[0]).FirstOrDefault() ?? string.Empty;

    public void Dispose() => Run(null, $"DROP DATABASE IF EXISTS `{Database}`");

    private List<string[]> Query(string? database, string sql)
    {
        var output = Run(database, sql, "-N", "-B");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t').Select(Unescape).ToArray())
            .ToList();
    }

    private string Run(string? database, string sql, params string[] extra)
    {
        var arguments = new List<string>
        {
            "--no-defaults", "-h", server.Host, "-P", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-u", server.User, "--default-character-set=utf8mb4",
        };
        arguments.AddRange(extra);
        if (database is not null)
        {
            arguments.Add(database);
        }

        return CommandLine.RunChecked("mariadb", arguments, sql, new Dictionary<string, string?> { ["MYSQL_PWD"] = server.Password });
    }

    /// <summary>Batch mode escapes newline, tab, backslash and NUL in values.</summary>
    private static string Unescape(string value)
    {
        var output = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                output.Append(value[i] switch { 'n' => '\n', 't' => '\t', '0' => '\0', _ => value[i] });
            }
            else
            {
                output.Append(value[i]);
            }
        }

        return output.ToString();
    }
}

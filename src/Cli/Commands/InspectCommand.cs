using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema inspect</c>: the live database as declarative schema files, one per table.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOption();
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Folder to write the schema files to (one per table and view, plus 00_schema.sql for types, sequences and schemas). Default: print to standard output." };
        var format = new Option<string>("--format") { Description = "sql (declarative CREATE statements) or json (the normalized model).", DefaultValueFactory = _ => "sql" };
        format.AcceptOnlyFromAmong("sql", "json");
        var command = new Command("inspect", "Read the live schema of a database and write it as declarative schema files.");
        command.Options.Add(connection.Connection);
        command.Options.Add(outDir);
        command.Options.Add(format);
        var stateTables = new StateTableOptions();
        stateTables.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = connection.Read(parseResult);
            var names = stateTables.Read(parseResult);
            return await RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                var live = await (await LiveSchema.IntrospectorAsync(session, names, cancellationToken)).IntrospectAsync(cancellationToken);
                var writer = SqlDialects.For(session.Dialect).Writer;
                if (parseResult.GetValue(format) == "json")
                {
                    Console.Out.Write(ModelSerializer.ToJson(live, includeSource: false) + "\n");
                    return ExitCodes.Success;
                }

                var folder = parseResult.GetValue(outDir);
                if (folder is null)
                {
                    Console.Out.Write(writer.WriteSchema(live));
                    return ExitCodes.Success;
                }

                folder.Create();
                var rest = live with { Tables = EquatableList<Table>.Empty, Views = EquatableList<View>.Empty };
                var count = 0;
                if (!rest.Equals(new Schema(live.Dialect)) && writer.WriteSchema(rest).Trim().Length > 0)
                {
                    File.WriteAllText(Path.Combine(folder.FullName, InspectFileNames.Shared), writer.WriteSchema(rest));
                    count++;
                }

                foreach (var table in live.Tables)
                {
                    File.WriteAllText(Path.Combine(folder.FullName, InspectFileNames.ForTable(table.Name)), writer.WriteTable(table));
                    count++;
                }

                foreach (var view in live.Views)
                {
                    File.WriteAllText(Path.Combine(folder.FullName, InspectFileNames.ForView(view.Name)), writer.WriteView(view));
                    count++;
                }

                Console.Error.WriteLine($"wrote {count} file(s) to {folder.FullName} from {session.DisplayName} ({live.Tables.Count} table(s), {live.Views.Count} view(s))");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}

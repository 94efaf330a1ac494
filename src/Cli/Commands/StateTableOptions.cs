using System.CommandLine;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// <c>--deployments-table</c> and <c>--steps-table</c>: the control tables' names. Every command that
/// reads the live schema takes them, so control tables with other names than the defaults are left
/// out of introspection (and never planned as tables to drop) as well as read by status.
/// </summary>
public sealed class StateTableOptions
{
    public Option<string> Deployments { get; } = new("--deployments-table")
    {
        Description = "Control table for deployments.",
        DefaultValueFactory = _ => StateTableNames.Default.Deployments,
    };

    public Option<string> Steps { get; } = new("--steps-table")
    {
        Description = "Control table for steps.",
        DefaultValueFactory = _ => StateTableNames.Default.Steps,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Deployments);
        command.Options.Add(Steps);
    }

    public StateTableNames Read(ParseResult parseResult)
    {
        var deployments = parseResult.GetValue(Deployments);
        var steps = parseResult.GetValue(Steps);
        if (string.IsNullOrWhiteSpace(deployments) || string.IsNullOrWhiteSpace(steps) || deployments == steps)
        {
            throw new UsageException("--deployments-table and --steps-table: give two different, non-empty table names");
        }

        return new StateTableNames(deployments, steps);
    }
}

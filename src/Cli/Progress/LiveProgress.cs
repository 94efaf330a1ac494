using System;
using System.Collections.Generic;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using Spectre.Console;

namespace SchemaBuild.Cli.Progress;

/// <summary>Deployment progress as a Spectre.Console live table, for an interactive terminal.</summary>
public sealed class LiveProgress : IDeploymentProgress, IGhostCopyProgress
{
    private readonly Table table;
    private readonly Dictionary<int, int> rows = new();
    private readonly List<string> notes = new();
    private LiveDisplayContext? context;

    public LiveProgress()
    {
        table = new Table().Border(TableBorder.Rounded).Title("deployment");
        table.AddColumn("step");
        table.AddColumn("change");
        table.AddColumn("strategy");
        table.AddColumn("status");
        table.AddColumn("time");
    }

    /// <summary>The renderable the live display shows.</summary>
    public Table Table => table;

    public void Attach(LiveDisplayContext live) => context = live;

    public void Started(string deploymentId, Plan plan, int firstStep)
    {
        table.Title($"deployment {Markup.Escape(deploymentId)}");
        foreach (var step in plan.Steps)
        {
            rows[step.Id] = table.Rows.Count;
            table.AddRow(step.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape($"{step.Change} {step.ObjectName}"),
                StrategyNames.Of(step.Strategy), step.Id < firstStep ? "[grey]done earlier[/]" : "[grey]pending[/]", string.Empty);
        }

        Refresh();
    }

    public void StepStarted(PlanStep step) => Update(step, "[yellow]running[/]", string.Empty);

    public void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason) =>
        Update(step, $"[orange1]lock busy, attempt {attempt} in {backoff.TotalSeconds:0.0}s[/]", string.Empty);

    public void StepFinished(PlanStep step, string status, TimeSpan duration) =>
        Update(step, status == "succeeded" ? "[green]done[/]" : $"[red]{Markup.Escape(status)}[/]", $"{duration.TotalSeconds:0.00}s");

    /// <summary>A ghost copy's line is updated in place rather than added again.</summary>
    public void GhostCopy(GhostCopyProgress progress)
    {
        var prefix = $"ghost copy of {progress.Table}:";
        if (notes.Count > 0 && notes[^1].StartsWith(prefix, StringComparison.Ordinal))
        {
            notes.RemoveAt(notes.Count - 1);
        }

        Note(progress.ToString());
    }

    public void Note(string message)
    {
        notes.Add(message);
        table.Caption(Markup.Escape(string.Join("\n", notes.Count > 5 ? notes.GetRange(notes.Count - 5, 5) : notes)));
        Refresh();
    }

    private void Update(PlanStep step, string status, string time)
    {
        if (rows.TryGetValue(step.Id, out var row))
        {
            table.UpdateCell(row, 3, new Markup(status));
            table.UpdateCell(row, 4, new Text(time));
        }

        Refresh();
    }

    private void Refresh() => context?.Refresh();
}

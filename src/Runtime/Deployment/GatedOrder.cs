using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// The order a deployment runs its steps in, so that its changes become visible together: every
/// ghost copy of the deployment is one group that reaches ready and cuts over at once; the steps
/// the plan puts between two copies move before the gate (expand steps, and steps a later copy
/// builds on) or after the cutover (drops and renames, and steps that build on an earlier copy's
/// table). A step that must follow one copy and precede another cannot move: the deployment is
/// refused with the reason. Within each side the plan's order is kept.
/// </summary>
internal sealed record GatedOrder(IReadOnlyList<PlanStep> Steps, IReadOnlyList<IReadOnlyList<PlanStep>> Runs, IReadOnlyList<string> Notes)
{
    /// <summary>The ghost-copy steps cut over together with <paramref name="step"/> (empty for other steps).</summary>
    public IReadOnlyList<PlanStep> RunOf(PlanStep step) => Runs.FirstOrDefault(r => r.Contains(step)) ?? (IReadOnlyList<PlanStep>)Array.Empty<PlanStep>();

    /// <summary>
    /// Arranges <paramref name="steps"/> (plan order, the steps still to run). A table rebuilt by two
    /// ghost copies cannot swap once: the copies then cut over in plan order, one run after the
    /// other, unless <paramref name="oneGate"/> (the manual gate) demands one cutover, which is refused, or the first
    /// copy keeps its old table (<paramref name="keepsOldTables"/>: no <c>--drop-old</c>), which the second copy would
    /// need gone: refused before anything runs, rather than after the first cutover.
    /// </summary>
    public static GatedOrder Arrange(IReadOnlyList<PlanStep> steps, bool oneGate, EngineProfile? engine = null, bool keepsOldTables = false)
    {
        var copies = steps.Select((s, i) => (Step: s, Index: i)).Where(x => x.Step.Strategy == Strategy.GhostCopy).ToList();
        if (copies.Count <= 1)
        {
            return new GatedOrder(steps, copies.Select(c => (IReadOnlyList<PlanStep>)new[] { c.Step }).ToList(), Array.Empty<string>());
        }

        var twice = copies.GroupBy(c => TableKey(TableOf(c.Step))).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            var ids = string.Join(" and ", twice.Select(c => c.Step.Id));
            if (oneGate)
            {
                throw new DeploymentRefusedException(
                    $"steps {ids} both rebuild {TableOf(twice.First().Step)} with a ghost copy: the second copies the result of the first, so the deployment cannot cut over once at the manual gate. "
                    + "Deploy the change in two releases (one rebuild each), or use --gate auto, which cuts the copies over one after the other.");
            }

            if (keepsOldTables)
            {
                throw new DeploymentRefusedException(
                    $"steps {ids} both rebuild {TableOf(twice.First().Step)} with a ghost copy, one after the other: the first cutover keeps the old table until `dotnet schema complete`, "
                    + "and the second copy needs that name free. Deploy with --drop-old (the old tables are dropped at each cutover, so this deployment has no revert window), "
                    + "or deploy the change in two releases (one rebuild each, `dotnet schema complete` between them).");
            }

            return Consecutive(steps, $"steps {ids} both rebuild {TableOf(twice.First().Step)}: the ghost copies cut over one after the other, in plan order, not together");
        }

        var first = copies[0].Index;
        var last = copies[^1].Index;
        var related = steps.Select(s => StepFootprint.Of(s, engine)).ToList();

        // -1: after the cutover, +1: before the gate, 0: free. Forced sides spread through shared tables, in plan order.
        var side = new int[steps.Count];
        var why = new string?[steps.Count];
        for (var i = first + 1; i < last; i++)
        {
            if (steps[i].Strategy == Strategy.GhostCopy)
            {
                continue;
            }

            var after = Enumerable.Range(first, i - first).FirstOrDefault(j => (steps[j].Strategy == Strategy.GhostCopy || side[j] < 0) && related[j].Overlaps(related[i]), -1);
            if (after >= 0)
            {
                side[i] = -1;
                why[i] = $"it builds on step {steps[after].Id} ({Describe(steps[after])})";
            }
        }

        for (var i = last - 1; i > first; i--)
        {
            if (steps[i].Strategy == Strategy.GhostCopy)
            {
                continue;
            }

            var before = Enumerable.Range(i + 1, last - i).FirstOrDefault(j => (steps[j].Strategy == Strategy.GhostCopy || side[j] > 0) && related[j].Overlaps(related[i]), -1);
            if (before < 0)
            {
                continue;
            }

            if (side[i] < 0)
            {
                throw new DeploymentRefusedException(
                    $"step {steps[i].Id} ({Describe(steps[i])}) lies between two ghost copies and cannot move: it must run after the cutover because {why[i]}, "
                    + $"and before the gate because step {steps[before].Id} ({Describe(steps[before])}) builds on it. All ghost copies of a deployment cut over together, so this plan cannot run as one deployment: "
                    + "deploy the changes in two releases.");
            }

            side[i] = 1;
            why[i] = $"step {steps[before].Id} ({Describe(steps[before])}) builds on it";
        }

        // Free steps: drops and renames after the cutover, the rest before the gate; a free step that shares a table with one placed after it in the plan follows it.
        var placedAfter = new bool[steps.Count];
        for (var i = first + 1; i < last; i++)
        {
            if (steps[i].Strategy == Strategy.GhostCopy)
            {
                continue;
            }

            placedAfter[i] = side[i] < 0 || (side[i] == 0 && Contracts(steps[i]));
            if (!placedAfter[i] && side[i] == 0 && Enumerable.Range(first + 1, i - first - 1).FirstOrDefault(j => placedAfter[j] && related[j].Overlaps(related[i]), -1) is var earlier and >= 0)
            {
                placedAfter[i] = true;
                why[i] = $"it builds on step {steps[earlier].Id} ({Describe(steps[earlier])}), which runs after the cutover";
            }
        }

        var notes = new List<string>();
        var beforeGate = steps.Take(first).ToList();
        var afterCutover = new List<PlanStep>();
        for (var i = first + 1; i < last; i++)
        {
            var step = steps[i];
            if (step.Strategy == Strategy.GhostCopy)
            {
                continue;
            }

            (placedAfter[i] ? afterCutover : beforeGate).Add(step);
            notes.Add($"step {step.Id} ({Describe(step)}) runs {(placedAfter[i] ? "after the cutover" : "before the gate")}: "
                      + (why[i] ?? (placedAfter[i] ? "it drops or renames something the old code may still use" : "it only adds or changes in place, which the old code tolerates")));
        }

        var run = copies.Select(c => c.Step).ToList();
        var ordered = beforeGate.Concat(run).Concat(afterCutover).Concat(steps.Skip(last + 1)).ToList();
        return new GatedOrder(ordered, new[] { (IReadOnlyList<PlanStep>)run }, notes);
    }

    /// <summary>Plan order, with runs of consecutive ghost copies on different tables (each run cuts over at once).</summary>
    private static GatedOrder Consecutive(IReadOnlyList<PlanStep> steps, string note)
    {
        var runs = new List<IReadOnlyList<PlanStep>>();
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Strategy != Strategy.GhostCopy)
            {
                continue;
            }

            var run = new List<PlanStep>();
            var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (; i < steps.Count && steps[i].Strategy == Strategy.GhostCopy && tables.Add(TableKey(TableOf(steps[i]))); i++)
            {
                run.Add(steps[i]);
            }

            runs.Add(run);
            i--;
        }

        return new GatedOrder(steps, runs, new[] { note });
    }

    /// <summary>Drops and renames: what the old code may still use, so they become visible only with the cutover.</summary>
    private static bool Contracts(PlanStep step) => step.Changes.Any(c => c switch
    {
        DropColumn or DropTable or DropIndex or DropView or DropSequence or DropEnumType or DropNamespace or DropExtension => true,
        RenameColumn or RenameTable or RenameTableElement => true,
        ChangeVerbatim verbatim => verbatim.To is null,
        _ => false,
    });

    private static string Describe(PlanStep step) => $"{step.Change} {step.ObjectName}, {StrategyNames.Of(step.Strategy)}";

    private static QualifiedName TableOf(PlanStep step) => step.Table ?? QualifiedName.Unqualified(step.ObjectName);

    private static string TableKey(QualifiedName name) => name.Name;
}

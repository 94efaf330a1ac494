using System;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// The states of one table's ghost copy and the moves allowed between them (GHOST-COPY.md):
/// <c>pending → prepared → copying → catching-up → verifying → in-sync → cutting-over → done</c>,
/// <c>verifying → catching-up</c> when a chunk mismatches and is copied again, any state before
/// <c>cutting-over</c> → <c>failed</c> (resumable) or <c>cancelled</c>, and <c>cutting-over → in-sync</c>
/// when a cutover attempt gave up (the original keeps serving; it is retried). The control table
/// moves a row only from one of the allowed predecessors (compare-and-set), so two processes never
/// both drive the same table.
/// </summary>
internal static class GhostCopyState
{
    public const string Pending = "pending";

    /// <summary>The shadow and changelog tables exist and the stream's start position is recorded, before the first chunk is read.</summary>
    public const string Prepared = "prepared";

    /// <summary>The chunked copy and the applier run together; the applier goes first.</summary>
    public const string Copying = "copying";

    /// <summary>The copy is complete; the applier drains the stream's backlog.</summary>
    public const string CatchingUp = "catching-up";

    /// <summary>Original and shadow are compared chunk by chunk.</summary>
    public const string Verifying = "verifying";

    /// <summary>The checksum passed; changes keep flowing until the cutover.</summary>
    public const string InSync = "in-sync";

    /// <summary>The names are being swapped under the cutover lock.</summary>
    public const string CuttingOver = "cutting-over";

    /// <summary>Swapped; the old table is kept in sync in reverse until the window ends (<see cref="Online.RevertWindow"/>).</summary>
    public const string RevertWindow = "revert-window";

    /// <summary><c>revert</c> owns the table: it catches up and swaps back (back to revert-window when an attempt fails).</summary>
    public const string Reverting = "reverting";

    /// <summary>The shadow serves under the original name; the old table is kept until <c>complete</c>.</summary>
    public const string Done = "done";

    public const string Reverted = "reverted";

    /// <summary>Stopped by an error or a killed process; the next deploy resumes from the checkpoint.</summary>
    public const string Failed = "failed";

    /// <summary>Given up; its artifacts removed.</summary>
    public const string Cancelled = "cancelled";

    private static readonly string[] BeforeCutover = { Pending, Prepared, Copying, CatchingUp, Verifying, InSync };

    private static readonly Dictionary<string, string[]> From = new(StringComparer.Ordinal)
    {
        [Pending] = Array.Empty<string>(),
        [Prepared] = new[] { Pending, Failed },
        [Copying] = new[] { Prepared, Failed },
        [CatchingUp] = new[] { Copying, Verifying, Failed },
        [Verifying] = new[] { CatchingUp, Failed },
        [InSync] = new[] { Verifying, CuttingOver, Failed },
        [CuttingOver] = new[] { InSync },
        [RevertWindow] = new[] { CuttingOver, Reverting },
        [Reverting] = new[] { RevertWindow },
        [Done] = new[] { CuttingOver, RevertWindow },
        [Reverted] = new[] { Reverting },
        [Failed] = BeforeCutover.Append(Failed).Append(CuttingOver).ToArray(),
        [Cancelled] = BeforeCutover.Append(Failed).ToArray(),
    };

    /// <summary>Every state a row may hold.</summary>
    public static IReadOnlyCollection<string> All => From.Keys;

    /// <summary>The states a row may move to <paramref name="state"/> from.</summary>
    public static IReadOnlyList<string> AllowedFrom(string state) =>
        From.TryGetValue(state, out var from) ? from : throw new ArgumentException($"'{state}' is not a ghost-copy state; the states are {string.Join(", ", From.Keys)}", nameof(state));

    public static bool CanMove(string from, string to) => AllowedFrom(to).Contains(from, StringComparer.Ordinal);

    /// <summary>True for the states a deploy resumes from (everything before the swap, and failed).</summary>
    public static bool IsResumable(string state) => BeforeCutover.Contains(state, StringComparer.Ordinal) || state == Failed;

    /// <summary>The state to resume a failed copy in: where the checkpoint says it got (never past in-sync: the checksum runs again).</summary>
    public static string ResumeAt(bool copyComplete) => copyComplete ? CatchingUp : Copying;
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Revert;

/// <summary>What the revert-window tests share: waiting for a state while the deploy runs, and the leftovers a window may leave.</summary>
internal static class RevertWindowTestSupport
{
    /// <summary>Waits until a ghost-copy row reaches <paramref name="state"/>; fails at once when the deploy ended first.</summary>
    public static async Task<GhostCopyRecord> WaitForStateAsync(GhostCopyStore store, string state, Task deploying)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await store.ExistsAsync(CancellationToken.None) && (await store.ListAsync(null, CancellationToken.None)).FirstOrDefault(r => r.State == state) is { } row)
                {
                    return row;
                }
            }
            catch (System.Data.Common.DbException)
            {
                // The deploy is creating or upgrading the control tables (columns are added one by one): read again.
            }

            if (deploying.IsCompleted)
            {
                await deploying;
                throw new InvalidOperationException($"the deploy ended before a ghost copy reached {state}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no ghost copy reached {state} within 3 minutes");
    }

    /// <summary>Tables a ghost copy or its window may leave on MariaDB (shadow, changelog, old, parked, sentry).</summary>
    public static async Task<IReadOnlyList<string>> MariaDbLeftoversAsync(Sessions.IDatabaseSession session)
    {
        var rows = await session.QueryAsync(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('items__gho', 'items__old', '_items_old', '_items_ghc')",
            null, CancellationToken.None);
        return rows.Select(r => Convert.ToString(r[0], System.Globalization.CultureInfo.InvariantCulture)!).ToList();
    }
}

using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Online;

/// <summary>The <c>revert_window</c> column of the ghost-copy control table (version 4): one <see cref="RevertTable"/> per swapped table.</summary>
internal sealed class RevertWindowStore
{
    private readonly IDatabaseSession session;
    private readonly string table;

    public RevertWindowStore(GhostCopyStore store)
    {
        session = store.Session;
        table = session.Writer.QuoteIdentifier(store.Name);
    }

    public Task SaveAsync(GhostCopyRecord record, RevertTable window, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {table} SET revert_window = {P(0)} WHERE deployment_id = {P(1)} AND step_id = {P(2)} AND table_name = {P(3)}",
            new object?[] { window.ToJson(), record.DeploymentId, record.StepId, record.Table }, cancellationToken);

    /// <summary>The stored window of a table, null when it never had one.</summary>
    public async Task<RevertTable?> GetAsync(GhostCopyRecord record, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            $"SELECT revert_window FROM {table} WHERE deployment_id = {P(0)} AND step_id = {P(1)} AND table_name = {P(2)}",
            new object?[] { record.DeploymentId, record.StepId, record.Table }, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 || rows[0][0] is not { } value ? null : RevertTable.FromJson(value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : value.ToString()!);
    }

    private string P(int index) => session.Parameter(index);
}

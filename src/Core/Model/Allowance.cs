namespace SchemaBuild.Core.Model;

/// <summary>
/// <c>-- schema:allow SB1002 users.legacy_email "reason"</c>: acknowledges one diagnostic on one object.
/// Part of the source, not of the database, so it is kept on the root but outside model equality
/// (see <see cref="Schema.Allowances"/>).
/// </summary>
public sealed record Allowance(string DiagnosticId, string ObjectName, string Reason)
{
    public SourceSpan Span { get; init; } = SourceSpan.None;
}

using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>
/// One typed difference between two models. Changes are flat (a column change names its table)
/// so rules can look at each on its own and the planner can group them per engine.
/// </summary>
public abstract record SchemaChange
{
    /// <summary>Stable kebab-case name used in plans (<c>add-column</c>, <c>drop-table</c>, ...).</summary>
    public abstract string Kind { get; }

    /// <summary>The object the change is about: <c>table</c>, <c>table.column</c>, <c>table.index</c>.</summary>
    public abstract string ObjectName { get; }

    /// <summary>The table the change belongs to (its new name after a rename); null for non-table objects.</summary>
    public virtual QualifiedName? TableName => null;

    /// <summary>Where the desired object is written; none for drops.</summary>
    public virtual SourceSpan Span => SourceSpan.None;

    /// <summary>True for changes that remove or narrow something (contract), false for additive ones (expand).</summary>
    public virtual bool IsContraction => false;
}

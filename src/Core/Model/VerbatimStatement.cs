using System;
using System.Text;

namespace SchemaBuild.Core.Model;

/// <summary>
/// A statement SchemaBuild keeps as written rather than modelling element by element: functions,
/// procedures, triggers, PostgreSQL domains, aggregates and operators (the "programmable objects"),
/// and statements it does not read back at all (grants, rules, policies, ...).
/// <see cref="Text"/> is the statement exactly as written in the source file (whitespace, comments,
/// literals, dollar quoting) and is what a plan deploys; <see cref="Definition"/> is the canonical
/// form the dialect computes from the same text, and it alone is compared. The server's own
/// definition of a deployed object parses to the same canonical form (see docs/programmable-objects.md).
/// </summary>
public sealed record VerbatimStatement(string Kind, string Text)
{
    /// <summary>The object's identity where one could be read: qualified name, with the argument types of a PostgreSQL routine or operator.</summary>
    public string? Name { get; init; }

    /// <summary>The unqualified name (no signature) other statements refer to it by; matched against <see cref="References"/>.</summary>
    public string? ObjectName { get; init; }

    /// <summary>The canonical comparison form; null only in documents written before it existed (then the folded text is compared).</summary>
    public string? Definition { get; init; }

    /// <summary>
    /// What <c>CREATE OR REPLACE</c> cannot change (a PostgreSQL function's parameter names and
    /// result type); null when the kind cannot be replaced in place. Equal shapes: the changed object
    /// is replaced; different shapes: dropped and created.
    /// </summary>
    public string? Shape { get; init; }

    /// <summary>The object as <c>DROP kind IF EXISTS</c> names it, quoted by the dialect (<c>public.f(text[])</c>, <c>trg ON public.t</c>).</summary>
    public string? DropTarget { get; init; }

    /// <summary>True for kinds the introspector reads back from the server; the others are left out of live comparisons.</summary>
    public bool ReadBack { get; init; }

    /// <summary>True when the object needs tables to exist first (a trigger; a routine whose signature uses a table's row type).</summary>
    public bool AfterTables { get; init; }

    /// <summary>Lower-case unqualified names the statement's header mentions (types, functions, tables): the objects it must be created after.</summary>
    public EquatableList<string> References { get; init; } = EquatableList<string>.Empty;

    public SourceSpan Span { get; init; } = SourceSpan.None;

    /// <summary>What is compared: the canonical definition, or the folded text where none was computed.</summary>
    public string Comparable => Definition ?? Fold(Text);

    public bool Equals(VerbatimStatement? other) =>
        other is not null && Kind == other.Kind && Name == other.Name && Comparable == other.Comparable;

    public override int GetHashCode() => (Kind.GetHashCode() * 397) ^ (Name?.GetHashCode() ?? 0) ^ Comparable.GetHashCode();

    /// <summary>Whitespace runs folded to one space: the comparison form of statements nothing reads back.</summary>
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}

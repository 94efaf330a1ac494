using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects;

/// <summary>A model plus the diagnostics found while reading it; always both, whatever the input.</summary>
public sealed record ParseResult(Schema Schema, EquatableList<Diagnostic> Diagnostics);

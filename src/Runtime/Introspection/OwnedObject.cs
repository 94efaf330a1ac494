using System.Collections.Generic;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Introspection;

/// <summary>One live object (kind as in <see cref="ObjectPrivileges.ObjectKind"/>), its owner, and the privileges the owner holds on it.</summary>
public sealed record OwnedObject(string ObjectKind, QualifiedName Object, string Owner, IReadOnlyCollection<string> Held);

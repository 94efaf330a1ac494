using System;
using System.Collections.Generic;

namespace SchemaBuild.Runtime.Online;

/// <summary>What <c>revert</c> did: the tables swapped back and the longest time writers were blocked by the swap.</summary>
public sealed record RevertResult(IReadOnlyList<string> Tables, TimeSpan LockHeld);

using System;
using System.Collections.Generic;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>What a sharded deployment did: the deployment id shared by every shard, each shard's result, and the spread of each cutover.</summary>
public sealed record ShardedDeploymentResult(string DeploymentId, IReadOnlyList<ShardResult> Shards, IReadOnlyList<CutoverSpread> Cutovers);

/// <summary>One shard's deployment.</summary>
public sealed record ShardResult(ShardTarget Shard, DeploymentResult Result);

/// <summary>
/// One cross-shard cutover: the time between the first and the last shard's swap (each measured when
/// the shard's copies are recorded swapped), and how long the barrier held the shards that were ready
/// first (from the first shard's arrival at the gate to the release).
/// </summary>
public sealed record CutoverSpread(TimeSpan Spread, string First, string Last, int Shards, TimeSpan HeldAtGate);

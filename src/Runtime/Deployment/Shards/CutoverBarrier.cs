using System;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>
/// The cross-shard barrier of one deploy process (docs/deploy.md, "Shards"). Each shard's ghost-copy
/// group polls it from its gate loop (through <see cref="Online.GhostCopyOptions.CutoverBarrier"/>)
/// with the gate it waits at, which also says the shard has arrived, in sync. A gate is a run of ghost
/// copies, named by its lowest plan step id: a plan that cuts over run by run meets one gate per run,
/// and a shard resumed after an earlier process may already be past the first ones. The orchestrator
/// opens the earliest gate any shard waits at once every unfinished shard waits (none failed): the
/// shards at that gate go through, those already at a later one keep waiting for them, so every shard
/// passes each gate together with the others that still had it ahead. An open gate stays open: a shard
/// that failed between the opening and its swap goes through alone when it comes back. It holds only in
/// memory: when the process dies, the next <c>deploy --targets</c> resumes every shard from its
/// checkpoints and they meet here again; approvals already written to the control tables do not let a
/// shard through alone.
/// </summary>
internal sealed class CutoverBarrier
{
    private readonly object sync = new();
    private readonly Dictionary<string, Position> shards;
    private readonly HashSet<int> opened = new();

    public CutoverBarrier(IEnumerable<string> names) => shards = names.ToDictionary(n => n, _ => new Position(), StringComparer.Ordinal);

    /// <summary>Raised (outside the lock) the first time a shard arrives at a gate (shard, gate).</summary>
    public event Action<string, int>? Arrived;

    /// <summary>Set when the deployment was cancelled on any shard: failed shards stop retrying.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>
    /// Called from the shard's gate loop: true once <paramref name="gate"/> is open and the shard has read
    /// its approval (<paramref name="approved"/>): it then goes on to cut over.
    /// </summary>
    public bool Poll(string shard, int gate, bool approved)
    {
        bool first;
        lock (sync)
        {
            var position = shards[shard];
            if (approved && opened.Contains(gate))
            {
                position.Waiting = false;
                return true;
            }

            first = !position.Waiting || position.Gate != gate;
            position.Waiting = true;
            position.Gate = gate;
            position.Failure = null;
        }

        if (first)
        {
            Arrived?.Invoke(shard, gate);
        }

        return false;
    }

    /// <summary>The shard's deploy finished: it is past every gate.</summary>
    public void Finished(string shard)
    {
        lock (sync)
        {
            shards[shard].Finished = true;
            shards[shard].Waiting = false;
        }
    }

    /// <summary>The shard's deploy failed (it is retried); nobody cuts over meanwhile.</summary>
    public void Failed(string shard, string failure)
    {
        lock (sync)
        {
            shards[shard].Failure = failure;
            shards[shard].Waiting = false;
        }
    }

    /// <summary>The shard's deploy runs again after a failure.</summary>
    public void Retrying(string shard)
    {
        lock (sync)
        {
            shards[shard].Failure = null;
        }
    }

    public void Cancel()
    {
        lock (sync)
        {
            Cancelled = true;
        }
    }

    /// <summary>
    /// The gate the cutover may be approved at: every unfinished shard waits at a gate, none failed, and the
    /// earliest of their gates is not open yet. Null otherwise (someone is still copying, failed, or passing).
    /// </summary>
    public int? GateToOpen
    {
        get
        {
            lock (sync)
            {
                var open = shards.Values.Where(p => !p.Finished).ToList();
                if (open.Count == 0 || !open.All(p => p.Waiting && p.Failure is null))
                {
                    return null;
                }

                var gate = open.Min(p => p.Gate);
                return opened.Contains(gate) ? null : gate;
            }
        }
    }

    /// <summary>Shards that are not finished and not failed: while there are some, a failed shard is worth retrying (they wait for it).</summary>
    public bool AnyHealthyUnfinished
    {
        get
        {
            lock (sync)
            {
                return shards.Values.Any(p => !p.Finished && p.Failure is null);
            }
        }
    }

    /// <summary>Shards whose deploy finished.</summary>
    public int FinishedCount
    {
        get
        {
            lock (sync)
            {
                return shards.Values.Count(p => p.Finished);
            }
        }
    }

    /// <summary>Shards that are not at a gate yet, with their failure when they failed, for the progress line.</summary>
    public IReadOnlyList<(string Shard, string? Failure)> NotWaiting
    {
        get
        {
            lock (sync)
            {
                return shards.Where(s => !s.Value.Finished && !s.Value.Waiting).Select(s => (s.Key, s.Value.Failure)).ToList();
            }
        }
    }

    /// <summary>
    /// The unfinished shards that wait at a gate not yet open, with their gate. A shard at an open gate has not read
    /// its approval yet (it polls every second) and goes on to cut over.
    /// </summary>
    public IReadOnlyList<(string Shard, int Gate)> Waiting
    {
        get
        {
            lock (sync)
            {
                return shards.Where(s => !s.Value.Finished && s.Value.Waiting && !opened.Contains(s.Value.Gate)).Select(s => (s.Key, s.Value.Gate)).ToList();
            }
        }
    }

    /// <summary>Whether <paramref name="gate"/> was opened in this deploy.</summary>
    public bool IsOpen(int gate)
    {
        lock (sync)
        {
            return opened.Contains(gate);
        }
    }

    /// <summary>How many unfinished shards wait at <paramref name="gate"/>: those an opening releases.</summary>
    public int WaitingAt(int gate)
    {
        lock (sync)
        {
            return shards.Values.Count(p => !p.Finished && p.Waiting && p.Gate == gate);
        }
    }

    /// <summary>Lets every shard waiting at <paramref name="gate"/> through (when it polls next), and any that comes back to it later.</summary>
    public void Open(int gate)
    {
        lock (sync)
        {
            opened.Add(gate);
        }
    }

    private sealed class Position
    {
        public int Gate;
        public bool Waiting;
        public bool Finished;
        public string? Failure;
    }
}

using System.Globalization;

namespace Lab.Consensus.Kv;

/// <summary>
/// Checks that a key-value history is linearizable (Herlihy and Wing 1990): there is one order of its operations,
/// consistent with real time (an operation that completed before another was invoked comes first), in which every
/// answer is what a single register per key would give. Keys are independent (linearizability is local, Herlihy
/// and Wing §3.2), so each key's history is checked on its own, as Porcupine does. The search is Wing and Gong's
/// (1993) with Lowe's (2017) memoisation of (operations linearized, register value) pairs already explored:
/// walk the invocations and responses in time order; at an invocation, try to linearize that operation now (if
/// the register allows its answer), at a response of an operation not linearized yet, backtrack.
/// <para>An operation without an answer (still pending at the end) may take effect at any point after its
/// invocation or not at all: its response is placed after everything, and a read without an answer is dropped.
/// Virtual times can tie: an operation invoked at the very instant another completes counts as concurrent with it.</para>
/// </summary>
public static class Linearizability
{
    /// <summary>The verdict: linearizable or not, and for a failure the key and that key's history.</summary>
    public sealed record Result(bool Linearizable, string? Key = null, IReadOnlyList<KvOperation>? Operations = null, bool Inconclusive = false)
    {
        public string Explain() => Linearizable
            ? (Inconclusive ? "inconclusive: the search gave up on a key" : "linearizable")
            : $"key {Key}: no order of its {Operations!.Count} operations agrees with real time and a register:\n  " + string.Join("\n  ", Operations.Take(40))
              + (Operations.Count > 40 ? $"\n  … {Operations.Count - 40} more" : "");
    }

    /// <summary>Register states explored per key before the search gives up (reported as inconclusive, not as a violation).</summary>
    public const int MaxStates = 2_000_000;

    public static Result Check(IReadOnlyList<KvOperation> history)
    {
        var inconclusive = false;
        foreach (var group in history.GroupBy(o => o.Command.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ops = group.Where(o => o.Completed is not null || o.Command is not KvGet).ToList();
            var verdict = CheckKey(ops);
            if (verdict is null) { inconclusive = true; continue; }
            if (!verdict.Value) return new Result(false, group.Key, ops);
        }
        return new Result(true, Inconclusive: inconclusive);
    }

    private sealed class Entry(int op, bool call, long time)
    {
        public readonly int Op = op;
        public readonly bool Call = call;
        public readonly long Time = time;
        public Entry? Prev, Next, Match;
    }

    /// <summary>True if linearizable, false if not, null if the search gave up.</summary>
    private static bool? CheckKey(IReadOnlyList<KvOperation> ops)
    {
        var entries = new List<Entry>();
        for (int i = 0; i < ops.Count; i++)
        {
            var call = new Entry(i, true, ops[i].Invoked.Nanos);
            var ret = new Entry(i, false, ops[i].Completed?.Nanos ?? long.MaxValue);
            call.Match = ret;
            entries.Add(call);
            entries.Add(ret);
        }
        // In time order; at one instant invocations first (concurrent, never ordered by a tie).
        entries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Call != b.Call ? (a.Call ? -1 : 1) : a.Op.CompareTo(b.Op));
        var head = new Entry(-1, true, long.MinValue);
        var last = head;
        foreach (var e in entries) { last.Next = e; e.Prev = last; last = e; }

        var linearized = new ulong[(ops.Count + 63) / 64];
        var seen = new HashSet<(string Bits, long? State)>();
        var stack = new Stack<(Entry Call, long? State)>();
        long? state = null;
        var entry = head.Next;
        var explored = 0;
        while (head.Next is not null)
        {
            if (entry!.Call)
            {
                if (Step(state, ops[entry.Op]) is (true, var next))
                {
                    linearized[entry.Op / 64] ^= 1UL << (entry.Op % 64);
                    if (seen.Add((Key(linearized), next)))
                    {
                        if (++explored > MaxStates) return null;
                        stack.Push((entry, state));
                        state = next;
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }
                    linearized[entry.Op / 64] ^= 1UL << (entry.Op % 64);
                }
                entry = entry.Next;
            }
            else
            {
                // A response whose operation is not linearized yet: undo the last choice and try the next one.
                if (stack.Count == 0) return false;
                var (top, previous) = stack.Pop();
                state = previous;
                linearized[top.Op / 64] ^= 1UL << (top.Op % 64);
                Unlift(top);
                entry = top.Next;
            }
        }
        return true;
    }

    private static string Key(ulong[] bits) => string.Join(',', bits.Select(b => b.ToString("x", CultureInfo.InvariantCulture)));

    private static void Lift(Entry call)
    {
        call.Prev!.Next = call.Next;
        call.Next!.Prev = call.Prev;
        var ret = call.Match!;
        ret.Prev!.Next = ret.Next;
        if (ret.Next is not null) ret.Next.Prev = ret.Prev;
    }

    private static void Unlift(Entry call)
    {
        var ret = call.Match!;
        ret.Prev!.Next = ret;
        if (ret.Next is not null) ret.Next.Prev = ret;
        call.Prev!.Next = call;
        call.Next!.Prev = call;
    }

    /// <summary>The register: whether <paramref name="op"/> may take effect in <paramref name="state"/> with the answer
    /// it got, and the state after it (null: nil).</summary>
    private static (bool Ok, long? Next) Step(long? state, KvOperation op)
    {
        var answered = op.Completed is not null;
        switch (op.Command)
        {
            case KvGet:
                return (Format(state) == op.Answer, state);
            case KvPut p:
                return (!answered || op.Answer == KvStore.Ok, p.Value);
            case KvCas c:
                var matches = state == c.Expected;
                if (!answered) return (true, matches ? c.Value : state);
                return op.Answer == KvStore.Ok ? (matches, c.Value) : (!matches && op.Answer == KvStore.CasFailed, state);
            default:
                return (true, state);
        }
    }

    private static string Format(long? state) => state is { } v ? v.ToString(CultureInfo.InvariantCulture) : KvCommand.Nil;
}

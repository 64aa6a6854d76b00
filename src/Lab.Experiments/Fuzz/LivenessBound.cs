namespace Lab.Experiments.Fuzz;

/// <summary>
/// How long after the last fault ends a generated run waits for everything submitted before then to be final
/// (<c>expect.liveness</c>). Not a latency target: an upper bound made of two parts, each derived from the rules
/// that decide it and made generous, so that a miss means a transaction is stuck, not slow.
/// <list type="bullet">
/// <item><b>Recovery</b>, until the protocol decides again: election and view timeouts with their back-off, and
/// the client's next resend.</item>
/// <item><b>Drain</b>, until the backlog piled up before the faults ended is decided: its blocks (the generator
/// sizes blocks so there are at most about <see cref="BacklogBlocks"/>) times the longest interval between two
/// decisions of a recovered protocol.</item>
/// </list>
/// Plus the late arrival of messages sent while the faults slowed the network (<see cref="InFlight"/>).
/// Milliseconds throughout; D is the span of the fault schedule (first fault to the end of the last), T the
/// protocol timeout recovery waits on (<see cref="FuzzCase.RecoveryMs"/>), R the client's retry timeout, n the
/// replicas, b the faulty ones (<see cref="FuzzCase.Faulty"/>), H the end of the last fault, L the longest one-way
/// delay (latency plus jitter, no fault left), B the batch timeout.
/// </summary>
public static class LivenessBound
{
    /// <summary>Slack for the last round trips and the replies.</summary>
    public const long SlackMs = 2000;

    /// <summary>The generator makes blocks big enough that the backlog fits in about this many.</summary>
    public const int BacklogBlocks = 30;

    public static long Of(FuzzCase c) => SlackMs + InFlight(c) + Recovery(c) + Blocks(c) * DecisionInterval(c);

    /// <summary>A message sent during a latency spike or to a slow node keeps its late arrival after the fault ends,
    /// and on FIFO links everything sent after it on that link waits behind it: at most L times the largest spike
    /// times the largest slow-down.</summary>
    public static long InFlight(FuzzCase c)
    {
        double Largest(string action) => c.Faults.Where(f => f.Action == action && f.Value is not null)
            .Select(f => double.Parse(f.Value!.TrimEnd('x'), System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(1).Max();
        var factor = Largest("latency") * Largest("slow");
        return factor > 1 ? (long)Math.Ceiling((c.LatencyHighMs + c.JitterMs) * factor) : 0;
    }

    /// <summary>From the end of the faults until the protocol decides again and the client has resent.</summary>
    public static long Recovery(FuzzCase c)
    {
        long n = c.Nodes, t = c.RecoveryMs, r = c.RetryMs, h = c.HealMs, b = c.Faulty;
        long span = c.Faults.Count == 0 ? 0 : h - c.Faults.Min(f => f.AtMs);
        switch (c.Protocol)
        {
            case "raft":
                // Raft §5.2: with every server up and connected, an election succeeds within a few randomised
                // timeouts (split votes repeat with probability falling geometrically; 10 rounds is generous).
                // The client (no back-off) resends every R to the replica it believes leads, moving on after
                // each silent one and following redirects (§8): at most n misses, then the leader.
                return 10 * t + (n + 3) * r;
            case "solo":
                // The orderer is back with its chain; peers catch up on its head announcements (every T);
                // clients resend every R, redirected to the orderer.
                return 4 * t + (n + 3) * r;
            default:
                // PBFT §4.5.2 and the HotStuff pacemaker double a timeout on each failed view change, up to
                // 2^6 T. Timers started during the faults sum to at most D, so the one running at the end is
                // at most D + T; after it, at most b faulty leaders in a row can fail a view again (each
                // doubling it once more): at most (D + T)·2^(b+2), and never more than b + 2 timers at their
                // cap. A client's resends back off too, so its next one after the faults is at most 2H + R away
                // (submitted at time 0 in the worst case); a request no honest replica holds waits for it.
                return Math.Min((span + t) << (int)Math.Min(b + 2, 20), (b + 2) * 64 * t) + 2 * h + r;
        }
    }

    /// <summary>Blocks the backlog needs: what clients submitted before the faults ended (open loop: the mean
    /// count with a fifth more for the arrivals' spread; closed loop: what is in flight), at most max-tx a block.</summary>
    public static long Blocks(FuzzCase c)
    {
        var backlog = c.Outstanding is { } k ? c.Clients * k : c.Rate * c.HealMs / 1000.0 * 1.2 + 10;
        return (long)Math.Ceiling(backlog / Math.Max(1, c.MaxTx));
    }

    /// <summary>The longest interval between two decisions once the faults are over.</summary>
    public static long DecisionInterval(FuzzCase c)
    {
        var l = (long)Math.Ceiling(c.LatencyHighMs + c.JitterMs);
        long n = c.Nodes, t = c.RecoveryMs, bt = c.BatchMs, b = c.Faulty;
        return c.Protocol switch
        {
            // Request, append, acknowledgement, commit known at the next append or heartbeat (at most T away).
            "raft" => 4 * l + bt + t,
            // Request, block, reply; peers hear of it by the next head announcement.
            "solo" => 2 * l + bt + t,
            // Request, pre-prepare, prepare, commit, reply (Castro-Liskov §4.2), and one view change's timeout
            // for a batch stalled by a lost message.
            "pbft" => 6 * l + bt + t,
            // A rotation of n views: honest ones take a proposal and votes each, each of the b faulty leaders'
            // views a timeout (back-off reset by the honest views in between: at most 8T). n ≥ 3b+1 leaves a run
            // of three honest leaders in every rotation, so each rotation decides at least once.
            _ => n * (4 * l + bt) + 8 * b * t,
        };
    }
}

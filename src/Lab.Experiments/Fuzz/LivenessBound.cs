namespace Lab.Experiments.Fuzz;

/// <summary>
/// How long after the last fault ends a generated run waits for everything submitted before then to be final
/// (<c>expect.liveness</c>). Not a latency target: an upper bound on recovery derived from the rules that
/// decide it (election and view timeouts, their back-off, client retries), made generous so that a miss means a
/// transaction is stuck, not slow. All in milliseconds; D is the span of the fault schedule (first fault to the
/// end of the last), T the protocol timeout recovery waits on (<see cref="FuzzCase.RecoveryMs"/>), R the
/// client's retry timeout, n the replicas, b the faulty ones (<see cref="FuzzCase.Faulty"/>), H the end of the
/// last fault.
/// </summary>
public static class LivenessBound
{
    /// <summary>Slack for message delays, batching and the last round trips (every latency drawn is under 60 ms).</summary>
    public const long SlackMs = 2000;

    public static long Of(FuzzCase c)
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
                return SlackMs + 10 * t + (n + 3) * r;
            case "solo":
                // The orderer is back with its chain; peers catch up on its head announcements (every T);
                // clients resend every R, redirected to the orderer.
                return SlackMs + 4 * t + (n + 3) * r;
            default:
                // PBFT §4.5.2 and the HotStuff pacemaker double a timeout on each failed view change, up to
                // 2^6 T. Timers started during the faults sum to at most D, so the one running at the end is
                // at most D + T; after it, at most b faulty leaders in a row can fail a view again (each
                // doubling it once more), so recovery takes at most (D + T)·2^(b+2), and never more than b + 2
                // timers at their cap. HotStuff then needs a run of three (two-chain: two) honest leaders, found
                // within one rotation of n views (n ≥ 3b+1): 2nT more. A client's resends back off too, so
                // its next one after the faults is at most 2H + R away (submitted at time 0 in the worst case);
                // a request no honest replica holds waits for it.
                var view = Math.Min((span + t) << (int)Math.Min(b + 2, 20), (b + 2) * 64 * t) + 2 * n * t;
                return SlackMs + 2 * h + r + view;
        }
    }
}

using Lab.Finance.Evidence;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Time;
using M = Lab.Finance.TwoLayer.TwoLayerMetrics;

namespace Lab.Finance.TwoLayer;

/// <summary>What a two-layer run found that breaks a rule: each chain's own agreement and validity violations, business
/// ledgers that do not conserve positions, anchors that do not verify. The model counts them as safety violations.</summary>
public sealed record TwoLayerFindings(IReadOnlyList<(SimTime At, string Text)> Violations);

/// <summary>Turns a finished two-layer run into its metrics (<see cref="TwoLayerMetrics"/>), once per run.</summary>
public static class TwoLayerResults
{
    public static TwoLayerFindings Derive(RunResult run, TwoLayerSpec spec)
    {
        var m = run.Metrics;
        var end = run.Stats.FinalTime;
        var bin = m.SeriesBin.Nanos;
        var bins = (int)Math.Max(1, (end.Nanos + bin - 1) / bin);
        int Bin(SimTime t) => (int)Math.Min(bins - 1, t.Nanos / bin);
        var violations = new List<(SimTime, string)>();
        var business = spec.Business;

        // Safety, chain by chain: each chain's checkers looked at its own replicas only.
        for (int i = 0; i < spec.Worlds.Count; i++)
        {
            var name = spec.Options.Chains[i].Name;
            var found = spec.Worlds[i].Violations;
            m.Scalars[M.Of(M.ChainSafety, name)] = found.Count;
            foreach (var v in found) violations.Add((v.At, $"chain {name}: {v.Description}"));
        }
        foreach (var ledger in spec.Ledgers)
            if (!ledger.Conserved()) violations.Add((end, "a business replica's positions or cash do not sum to zero"));

        var allDelays = new List<double>();
        double anchorBytesAll = 0, txBytesAll = 0;
        var regulatorSeries = new double[bins];
        for (int b = 0; b < business.Count; b++)
        {
            var name = business[b].Name;
            var commits = spec.Commits[b];
            var anchors = spec.Anchors[b].Anchors;
            var replicas = business[b].Chain.Options.Nodes;
            var series = new double[bins];
            long txs = 0, txBytes = 0, blockBytes = 0;
            for (int h = 1; h <= commits.Count; h++)
            {
                var block = commits.BlockAt(h);
                series[Bin(commits.At(h))] += block.Transactions.Count;
                txs += block.Transactions.Count;
                txBytes += block.Transactions.Sum(t => (long)t.SizeBytes);
                blockBytes += block.SizeBytes;
            }
            m.Series[M.ChainTxSeries + name] = series;
            m.Scalars[M.Of(M.ChainTx, name)] = txs;
            m.Scalars[M.Of(M.ChainBytes, name)] = txBytes;

            // Anchoring delay: per block, commit at the feed replica → its anchor final.
            var delays = new List<double>();
            var covered = 0L;
            long anchorBytes = 0;
            foreach (var a in anchors)
            {
                for (long h = a.From; h <= a.To && h <= commits.Count; h++) delays.Add((a.FinalAt - commits.At(h)).TotalSeconds);
                covered += a.To - a.From + 1;
                anchorBytes += a.Bytes;
                regulatorSeries[Bin(a.FinalAt)] += 1;
            }
            allDelays.AddRange(delays);
            anchorBytesAll += anchorBytes;
            txBytesAll += txBytes;
            m.Scalars[M.Of(M.AnchorTx, name)] = anchors.Count;
            m.Scalars[M.Of(M.AnchorBytes, name)] = anchorBytes;
            m.Scalars[M.Of(M.AnchorTxShare, name)] = txs > 0 ? anchors.Count / (double)txs : 0;
            m.Scalars[M.Of(M.AnchorByteShareOf, name)] = txBytes > 0 ? anchorBytes / (double)txBytes : 0;
            m.Scalars[M.Of(M.Unanchored, name)] = commits.Count - covered;
            var feed = (double)Enumerable.Range(1, commits.Count).Sum(h => (long)new BlockFeed(b, commits.BlockAt(h), default).SizeBytes) * 2;
            m.Scalars[M.Of(M.FeedBytes, name)] = feed;
            m.Scalars[M.Of(M.FeedByteShare, name)] = blockBytes > 0 && replicas > 1 ? feed / (blockBytes * (double)(replicas - 1)) : 0;
            Percentiles(m, delays, M.Of(M.AnchorDelayP50, name), M.Of(M.AnchorDelayP99, name));

            // Staleness of the regulator's view of this chain at each query.
            var stale = spec.Queries.Select(q => Staleness.Of(q.At, q.Heights[b], commits.Times).TotalSeconds).ToList();
            Percentiles(m, stale, M.Of(M.StalenessP50, name), M.Of(M.StalenessP99, name));
        }
        m.Series[M.ChainTxSeries + spec.Regulator.Name] = regulatorSeries;
        m.Samples[M.AnchorDelay] = [.. allDelays];
        Percentiles(m, allDelays, Quantile.Name(M.AnchorDelay, 0.50), Quantile.Name(M.AnchorDelay, 0.99));
        m.Scalars[M.AnchorByteShare] = txBytesAll > 0 ? anchorBytesAll / txBytesAll : 0;

        var staleness = new List<double>();
        var staleSeries = new double[bins];
        foreach (var q in spec.Queries)
            for (int b = 0; b < business.Count; b++)
            {
                var s = Staleness.Of(q.At, q.Heights[b], spec.Commits[b].Times).TotalSeconds;
                staleness.Add(s);
                staleSeries[Bin(q.At)] = Math.Max(staleSeries[Bin(q.At)], s);
            }
        m.Samples[M.Staleness] = [.. staleness];
        m.Scalars[M.StaleShare] = staleness.Count > 0 ? staleness.Count(x => x > 0) / (double)staleness.Count : 0;
        m.Scalars[M.StalenessMax] = staleness.DefaultIfEmpty(0).Max();
        var arrivals = spec.Arrivals.Select(a => a.Delay.TotalSeconds).ToList();
        m.Samples[M.ViewDelay] = [.. arrivals];
        Percentiles(m, arrivals, Quantile.Name(M.ViewDelay, 0.50), Quantile.Name(M.ViewDelay, 0.99));
        m.Scalars[M.MarketTrades] = spec.Setup.Tape.Trades.Count;
        Percentiles(m, staleness, Quantile.Name(M.Staleness, 0.50), Quantile.Name(M.Staleness, 0.99));
        m.Series[M.Staleness] = staleSeries;
        m.Scalars[M.Queries] = spec.Queries.Count;
        m.Scalars[M.Exposure] = spec.Queries.Count > 0 ? spec.Queries[^1].Exposure / 100.0 : 0;
        m.Scalars[M.BusinessChains] = business.Count;
        m.Scalars[M.AnchorEvery] = business[0].AnchorEvery.TotalSeconds;

        // Inclusion proofs: for every anchor, a party holding only the root it reads from the regulator chain checks that
        // the anchored range's first transaction (or header) is under it, and that an altered copy is not.
        var state = LatestRegulatorState(spec);
        long verified = 0, failed = 0, tamper = 0;
        for (int b = 0; b < business.Count; b++)
            foreach (var a in spec.Anchors[b].Anchors)
            {
                var check = AnchorProof.Check(a, spec.Commits[b], state);
                if (check.Verified) verified++;
                else { failed++; violations.Add((a.FinalAt, $"chain {business[b].Name}: anchor {a.Id} does not prove its range against the root on the regulator chain")); }
                if (check.TamperDetected) tamper++;
            }
        m.Scalars[M.ProofsVerified] = verified;
        m.Scalars[M.ProofsFailed] = failed;
        m.Scalars[M.TamperDetected] = tamper;
        return new TwoLayerFindings(violations);
    }

    /// <summary>The regulator chain's state as the replica that applied most holds it (honest replicas at one height agree:
    /// the chain's agreement checker says so), as a key lookup.</summary>
    private static Func<string, object?> LatestRegulatorState(TwoLayerSpec spec)
    {
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var r in spec.RegulatorRuntimes) if (r.Node is { } n) latest[n] = r;
        var best = latest.Values.OrderByDescending(r => r.Height).FirstOrDefault();
        return best is null ? _ => null : best.State.Get;
    }

    private static void Percentiles(RunMetrics m, List<double> values, string p50, string p99)
    {
        if (values.Count == 0) return;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        m.Scalars[p50] = Quantile.OfSorted(sorted, 0.50);
        m.Scalars[p99] = Quantile.OfSorted(sorted, 0.99);
    }
}

/// <summary>
/// Checks one anchor as a party that holds only the anchored root (<see cref="EvidenceVerifier"/>): the root is read from
/// the regulator chain's evidence entry; the proof is built by a holder of the business chain's blocks
/// (<see cref="AnchorLeaves"/>, <see cref="MerkleTree.Prove"/>).
/// </summary>
public static class AnchorProof
{
    /// <param name="Verified">The range's first transaction (its first header if it has none) is under the root.</param>
    /// <param name="TamperDetected">That transaction with its value changed by one unit is not (false when the range has no transaction).</param>
    public sealed record Result(bool Verified, bool TamperDetected);

    public static Result Check(AnchorRecord anchor, CommitTimes commits, Func<string, object?> regulatorState)
    {
        if (regulatorState(EvidenceContract.EntryKey(anchor.Id)) is not EvidenceEntry entry || anchor.To > commits.Count) return new(false, false);
        var blocks = Enumerable.Range((int)anchor.From, (int)(anchor.To - anchor.From + 1)).Select(h => commits.BlockAt(h)).ToList();
        var leaves = AnchorLeaves.Of(blocks);
        var verifier = new EvidenceVerifier(entry.Hash);
        // Leaf of the first transaction: after its block's header and the earlier blocks' leaves.
        var index = 0;
        Lab.Ledger.Transactions.Transaction? tx = null;
        foreach (var b in blocks)
        {
            if (b.Transactions.Count > 0) { tx = b.Transactions[0]; index++; break; }
            index++;
        }
        if (tx is null)
            return new(verifier.Includes(blocks[0].Hash, MerkleTree.Prove(leaves, 0)), false);
        var proof = MerkleTree.Prove(leaves, index);
        var verified = verifier.Includes(tx.Hash, proof);
        var altered = tx.Payload is RegionalTrade t ? tx with { Payload = t with { Value = t.Value + 1 } } : tx with { SizeBytes = tx.SizeBytes + 1 };
        return new(verified, !verifier.Includes(altered.Hash, proof));
    }
}

using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>
/// Builds a warehouse-receipt world: the book (same for both registries of a seed), the warehouses and banks, and
/// on chain the consortium's replicas (laid out by <see cref="ChainWorld"/>, replicas first) each applying blocks to
/// its own audited receipt ledger. <see cref="WarehouseWorldSpec.Derive"/> turns the run into figures and writes them
/// into the run's metrics.
/// </summary>
public static class WarehouseWorld
{
    public static WarehouseWorldSpec Build(WarehouseOptions options, NetworkSpec network, ulong seed, SettlementChain? chain = null)
    {
        var book = WarehouseBook.Generate(options, seed);
        var clock = new RunClock(options.Start);
        var hours = new OfficeHours(clock, BusinessCalendars.China2026());
        int Region(IReadOnlyList<string> regions, int i)
        {
            var name = regions[i % regions.Count];
            var r = network.RegionIndex(name);
            if (r < 0) throw new ArgumentException($"institution region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
            return r;
        }
        var observer = new WarehouseObserver();
        var keys = new Lab.Finance.Privacy.Keyring(seed);
        IEnumerable<NodeSpec> Institutions(Func<FinalityTracker?> client)
        {
            for (int w = 0; w < options.Warehouses; w++)
            {
                var i = w;
                var c = client;
                yield return new NodeSpec(WarehouseBook.Warehouse(w), Region(options.WarehouseRegions, w), "warehouse", () => new WarehouseNode(options, book, i, c()));
            }
            for (int b = 0; b < options.Banks; b++)
            {
                var i = b;
                var c = client;
                yield return new NodeSpec(WarehouseBook.Bank(b), Region(options.BankRegions, b), "bank", () => new BankNode(options, book, i, hours, c(), keys));
            }
        }

        ChainWorld? chainWorld = null;
        var nodes = new List<NodeSpec>();
        if (options.Registry == PledgeRegistry.Separate) nodes.AddRange(Institutions(() => null));
        else
        {
            if (chain is null) throw new ArgumentException("an on-chain registry needs a chain (SettlementChain)");
            var members = Consortium(options);
            var issuers = Enumerable.Range(0, options.Warehouses).ToDictionary(w => ReceiptContract.Asset(WarehouseBook.Warehouse(w)), WarehouseBook.Warehouse);
            string? metricsNode = null;
            IStateMachine Ledger()
            {
                var rt = new ContractRuntime(members, [new ReceiptContract(options.WeightTolerance, options.CpuPerReading)], issuers,
                    new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                var ledger = new AuditedReceiptLedger(rt, r => r >= 0 && r < book.Receipts.Count ? book.Receipts[r].Lot : null);
                observer.Ledgers.Add(ledger);
                return ledger;
            }
            chainWorld = chain.Build(network, seed, Ledger,
                access => Institutions(() => access.NewTracker(untilFinal: true)));
            metricsNode = chainWorld.Nodes[0].Name;
            nodes.AddRange(chainWorld.Nodes);
        }

        WarehouseResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            return WarehouseResults.Derive(run, observer, options, book, keys);
        }
        return new WarehouseWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], options.SuggestedEnd(book), book, Derive, chainWorld);
    }

    /// <summary>Consortium identities: warehouses post readings and issue receipts, banks register pledges, owners hold receipts.</summary>
    public static Membership Consortium(WarehouseOptions o)
    {
        var m = new Membership();
        for (int w = 0; w < o.Warehouses; w++) m.Add(WarehouseBook.Warehouse(w), ReceiptContract.WarehouseRole);
        for (int b = 0; b < o.Banks; b++) m.Add(WarehouseBook.Bank(b), ReceiptContract.BankRole);
        for (int i = 0; i < o.Owners; i++) m.Add(WarehouseBook.Owner(i));
        return m;
    }
}

/// <summary>What <see cref="WarehouseWorld.Build"/> returns.</summary>
public sealed record WarehouseWorldSpec(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<ISimulationObserver> Observers,
    SimTime SuggestedEnd,
    WarehouseBook Book,
    Func<RunResult, WarehouseResults> Derive,
    ChainWorld? Chain);

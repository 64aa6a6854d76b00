using Lab.Consensus.Common;
using Lab.Finance.Calendars;
using Lab.Consensus.Workload;
using Lab.Finance.Institutions;
using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>
/// A lending bank. Each application it receives (from the book) goes through due diligence in desk hours
/// (<see cref="OfficeHours"/>). With separate registries the bank then checks only its own registry (a receipt it
/// already holds is refused), lends, and inspects the lot every <see cref="WarehouseOptions.InspectionInterval"/>;
/// an inspection that meets a short lot reports it with <see cref="WarehouseOptions.InspectionDetects"/>. On chain
/// it registers the pledge with <see cref="ReceiptContract"/> and lends only if the contract accepts; a sensor flag
/// on a pledged lot calls the loan at once. At maturity an honest owner repays (release), a defaulting one's goods
/// are disposed of: the bank asks the warehouse for them and recovers at most the loan — a lot already delivered to
/// another pledgee, or emptied, yields less, which is how the fraud surfaces there.
/// </summary>
public sealed class BankNode(WarehouseOptions options, WarehouseBook book, int index, OfficeHours hours, FinalityTracker? client, Lab.Finance.Privacy.Keyring? keys = null) : INodeBehaviour, ITransactionSource
{
    private sealed record NextApplication;
    private sealed record Decide(int Application);
    private sealed record Maturity(int Application);
    private sealed record Inspection(int Application);
    public sealed record Pending(Transaction Tx, string Kind, int Application);

    public sealed class State
    {
        public required SortedDictionary<int, PledgeRecord> Records;
        public readonly SortedSet<int> Registry = [];   // receipts this bank holds a live pledge on
        public int Next;
        public readonly SortedDictionary<TxId, Pending> InFlight = [];
    }

    private readonly ReliableLink _link = new("bank.link");
    private readonly List<Application> _mine = [.. book.Applications.Where(a => a.Bank == index).OrderBy(a => a.AppliedNs).ThenBy(a => a.Index)];
    private State _s = null!;
    private bool OnChain => client is not null;
    private string Name => WarehouseBook.Bank(index);

    public IReadOnlyDictionary<int, PledgeRecord> Records => _s.Records;
    public SubmissionLog? Submissions => client?.Submissions;

    public void OnStart(INodeContext ctx)
    {
        _s = ctx.Storage.GetOrAdd("bank.state", () => new State { Records = new(_mine.ToDictionary(a => a.Index, _ => new PledgeRecord())) });
        _link.Start(ctx);
        if (client is not null)
        {
            client.OnStart(ctx);
            client.Finalized = OnFinal;
            foreach (var p in _s.InFlight.Values) client.Resubmit(ctx, p.Tx);
        }
        ScheduleNext(ctx);
    }

    private void ScheduleNext(INodeContext ctx)
    {
        if (_s.Next >= _mine.Count) return;
        ctx.SetTimer(Duration.FromNanos(Math.Max(0, _mine[_s.Next].AppliedNs - ctx.Now.Nanos)), new NextApplication());
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        switch (state)
        {
            case NextApplication:
                while (_s.Next < _mine.Count && _mine[_s.Next].AppliedNs <= ctx.Now.Nanos)
                {
                    var a = _mine[_s.Next++];
                    var decided = hours.After(ctx.Now.Nanos, OnChain ? a.OnChainDiligenceS : a.SeparateDiligenceS);
                    ctx.SetTimer(Duration.FromNanos(decided - ctx.Now.Nanos), new Decide(a.Index));
                }
                ScheduleNext(ctx);
                break;
            case Decide d:
                Decided(ctx, book.Applications[d.Application]);
                break;
            case Maturity m:
                Mature(ctx, book.Applications[m.Application]);
                break;
            case Inspection i:
                var rec = _s.Records[i.Application];
                if (rec.ClosedNs >= 0 || rec.DetectedNs >= 0) break;
                var lot = book.Applications[i.Application].Lot;
                _link.Send(ctx, Warehouse(ctx, lot), new Inspect(lot, i.Application), 64);
                break;
            default:
                client?.OnTimer(ctx, state);
                break;
        }
    }

    private NodeId Warehouse(INodeContext ctx, int lot) => ctx.Directory.Find(WarehouseBook.Warehouse(book.Lots[lot].Warehouse));

    private void Decided(INodeContext ctx, Application a)
    {
        _s.Records[a.Index].DiligenceDoneNs = ctx.Now.Nanos;
        if (OnChain)
        {
            var receipt = book.Receipts[a.Receipt];
            Submit(ctx, ReceiptContract.Pledge(new PledgeReceipt(receipt.Id, WarehouseBook.Owner(a.Owner), keys is null ? null : WarehousePrivacy.SealTerms(a, book, keys))), "pledge", a.Index);
            return;
        }
        // Separate registries: the bank sees only its own book.
        if (_s.Registry.Contains(a.Receipt)) Refuse(ctx, a, InRegistry);
        else Fund(ctx, a);
    }

    /// <summary>Why a bank with its own registry refuses a receipt.</summary>
    public const string InRegistry = "already in this bank's registry";

    private void Refuse(INodeContext ctx, Application a, string? reason)
    {
        var r = _s.Records[a.Index];
        r.DecidedNs = ctx.Now.Nanos;
        r.RefusedReason = reason ?? "refused";
        r.DetectedNs = ctx.Now.Nanos;
        r.DetectedBy = Detection.Refused;
    }

    private void Fund(INodeContext ctx, Application a)
    {
        var r = _s.Records[a.Index];
        r.DecidedNs = ctx.Now.Nanos;
        r.Funded = true;
        _s.Registry.Add(a.Receipt);
        ctx.SetTimer(options.Tenor, new Maturity(a.Index));
        if (!OnChain && options.InspectionInterval > Duration.Zero)
            ctx.SetTimer(Duration.FromNanos((long)(ctx.Random.NextDouble() * options.InspectionInterval.Nanos)), new Inspection(a.Index));
    }

    private void Mature(INodeContext ctx, Application a)
    {
        var r = _s.Records[a.Index];
        if (r.ClosedNs >= 0 || r.DetectedNs >= 0) return; // already called after a detection
        if (a.Repays)
        {
            if (OnChain) Submit(ctx, ReceiptContract.Release(book.Receipts[a.Receipt].Id), "release", a.Index);
            else Released(ctx, a);
            return;
        }
        r.Defaulted = true;
        Dispose(ctx, a);
    }

    private void Released(INodeContext ctx, Application a)
    {
        var r = _s.Records[a.Index];
        r.ClosedNs = ctx.Now.Nanos;
        r.RecoveredCny = a.LoanCny;
        _s.Registry.Remove(a.Receipt);
    }

    /// <summary>Calls the loan and takes the goods: on chain the receipt first moves to the bank.</summary>
    private void Dispose(INodeContext ctx, Application a)
    {
        if (OnChain) Submit(ctx, ReceiptContract.Dispose(book.Receipts[a.Receipt].Id), "dispose", a.Index);
        else _link.Send(ctx, Warehouse(ctx, a.Lot), new TakeDelivery(a.Lot, a.Index), 64);
    }

    private void Detected(INodeContext ctx, Application a, long atNs, Detection how)
    {
        var r = _s.Records[a.Index];
        if (r.DetectedNs >= 0) return;
        r.DetectedNs = atNs;
        r.DetectedBy = how;
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out var body))
        {
            switch (body)
            {
                case InspectionReport rep:
                {
                    var a = book.Applications[rep.Application];
                    var r = _s.Records[a.Index];
                    if (r.ClosedNs >= 0 || r.DetectedNs >= 0) break;
                    if (Short(a, rep.Kg) && ctx.Random.Chance(options.InspectionDetects))
                    {
                        Detected(ctx, a, ctx.Now.Nanos, Detection.Inspection);
                        Dispose(ctx, a);
                    }
                    else ctx.SetTimer(options.InspectionInterval, new Inspection(a.Index));
                    break;
                }
                case Delivered d:
                {
                    var a = book.Applications[d.Application];
                    var r = _s.Records[a.Index];
                    r.ClosedNs = ctx.Now.Nanos;
                    r.RecoveredCny = Math.Min(a.LoanCny, (long)Math.Round(d.Kg / 1000.0 * options.PricePerTonne));
                    _s.Registry.Remove(a.Receipt);
                    if (Short(a, d.Kg)) Detected(ctx, a, ctx.Now.Nanos, Detection.Disposal);
                    break;
                }
                case FlagNotice f:
                    foreach (var a in _mine.Where(x => x.Lot == f.Lot))
                    {
                        var r = _s.Records[a.Index];
                        if (!r.Funded || r.ClosedNs >= 0 || r.DetectedNs >= 0) continue;
                        Detected(ctx, a, f.FinalNs, Detection.Sensors);
                        Dispose(ctx, a);
                    }
                    break;
            }
            return;
        }
        client?.OnMessage(ctx, from, message);
    }

    private bool Short(Application a, long kg) => kg < book.Receipts[a.Receipt].Kg * (1 - options.WeightTolerance);

    private void Submit(INodeContext ctx, ContractCall call, string kind, int application)
    {
        var tx = client!.Submit(ctx, 300, call);
        _s.InFlight[tx.Id] = new Pending(tx, kind, application);
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_s.InFlight.Remove(f.Tx.Id, out var p)) return;
        var a = book.Applications[p.Application];
        switch (p.Kind)
        {
            case "pledge":
                if (f.Outcome.Accepted) Fund(ctx, a);
                else Refuse(ctx, a, f.Outcome.Reason);
                break;
            case "release":
                Released(ctx, a);
                break;
            case "dispose":
                // The receipt is the bank's now (or the contract says the pledge is gone): take the goods either way.
                _link.Send(ctx, Warehouse(ctx, a.Lot), new TakeDelivery(a.Lot, a.Index), 64);
                break;
        }
    }
}

using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Institutions;
using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>
/// A warehouse: it keeps the goods (answers inspections and releases a lot to the first pledgee that takes
/// delivery) and, on chain, runs the sensor gateway and issues receipts. At a lot's arrival the gateway posts
/// its intake reading (the attested weight); when that is final the warehouse issues the lot's receipts — a
/// colluding warehouse also tries the phantom ones, which the contract refuses. Every sensor interval the
/// gateway posts the readings of all lots in store (weight, location, temperature from
/// <see cref="WarehouseOptions.SensorsPerLot"/> sensors each) as one batch per warehouse or one per lot; the
/// readings are what the book says is physically there. When a batch's result flags a pledged lot, the pledgee
/// is told (standing in for the bank's own subscription to contract events). With separate registries there
/// are no sensors on chain and no receipts to post: paper receipts are what the book lists.
/// </summary>
public sealed class WarehouseNode(WarehouseOptions options, WarehouseBook book, int index, FinalityTracker? client) : INodeBehaviour, ITransactionSource
{
    private sealed record NextArrival;
    private sealed record SensorTick;
    private sealed record IssueDue(int Receipt);
    public sealed record Pending(Transaction Tx, string Kind, int Item);

    /// <summary>What the warehouse recorded, for the end-of-run figures.</summary>
    public sealed class State
    {
        public required bool[] Delivered;
        public required long[] FlaggedNs;          // per lot: when a flag became final (−1: never)
        public required string?[] IssueRefused;    // per receipt: the contract's refusal (on chain)
        public required bool[] Issued;             // per receipt: on the ledger (on chain)
        public required long[] IssuedNs;           // per receipt: when the issue call was final, accepted or not (−1: never)
        public long SensorMessages, SensorTransactions, LotSecondsMonitored;
        public int NextLot;
        public readonly SortedDictionary<TxId, Pending> InFlight = [];
    }

    private readonly ReliableLink _link = new("warehouse.link");
    private State _s = null!;
    private readonly List<Lot> _lots = [.. book.Lots.Where(l => l.Warehouse == index).OrderBy(l => l.ArrivalNs).ThenBy(l => l.Index)];
    private string Name => WarehouseBook.Warehouse(index);

    public State Records => _s;
    public SubmissionLog? Submissions => client?.Submissions;

    public void OnStart(INodeContext ctx)
    {
        _s = ctx.Storage.GetOrAdd("warehouse.state", () => new State
        {
            Delivered = new bool[book.Lots.Count],
            FlaggedNs = Enumerable.Repeat(-1L, book.Lots.Count).ToArray(),
            IssueRefused = new string?[book.Receipts.Count],
            Issued = new bool[book.Receipts.Count],
            IssuedNs = Enumerable.Repeat(-1L, book.Receipts.Count).ToArray(),
        });
        _link.Start(ctx);
        if (client is null) return;
        client.OnStart(ctx);
        client.Finalized = OnFinal;
        foreach (var p in _s.InFlight.Values) client.Resubmit(ctx, p.Tx);
        ScheduleArrival(ctx);
        var first = options.SensorInterval.Nanos - ctx.Now.Nanos % options.SensorInterval.Nanos;
        ctx.SetTimer(Duration.FromNanos(first), new SensorTick());
    }

    private void ScheduleArrival(INodeContext ctx)
    {
        if (_s.NextLot >= _lots.Count) return;
        ctx.SetTimer(Duration.FromNanos(Math.Max(0, _lots[_s.NextLot].ArrivalNs - ctx.Now.Nanos)), new NextArrival());
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out var body))
        {
            switch (body)
            {
                case Inspect i:
                    _link.Send(ctx, from, new InspectionReport(i.Lot, i.Application, Present(i.Lot, ctx.Now.Nanos)), 64);
                    break;
                case TakeDelivery d:
                    var kg = Present(d.Lot, ctx.Now.Nanos);
                    _s.Delivered[d.Lot] = true;
                    _link.Send(ctx, from, new Delivered(d.Lot, d.Application, kg), 64);
                    break;
            }
            return;
        }
        client?.OnMessage(ctx, from, message);
    }

    private long Present(int lot, long atNs) => _s.Delivered[lot] ? 0 : book.Lots[lot].KgPresent(atNs, options.RemovalTime);

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        switch (state)
        {
            case NextArrival:
                while (_s.NextLot < _lots.Count && _lots[_s.NextLot].ArrivalNs <= ctx.Now.Nanos)
                {
                    var lot = _lots[_s.NextLot++];
                    Submit(ctx, ReceiptContract.Readings(new SensorBatch([Reading(lot, ctx.Now.Nanos)])), "intake", lot.Index, options.ReadingBytes + 200);
                    Sensed(ctx, 1);
                }
                ScheduleArrival(ctx);
                break;
            case SensorTick:
                PostReadings(ctx);
                ctx.SetTimer(options.SensorInterval, new SensorTick());
                break;
            case IssueDue d:
                var r = book.Receipts[d.Receipt];
                Submit(ctx, ReceiptContract.Issue(new IssueReceipt(r.Id, r.Lot, WarehouseBook.Owner(book.Lots[r.Lot].Owner), r.Kg, WarehousePrivacy.DocumentEvidence(r, book))), "issue", r.Index, 300);
                break;
            default:
                client?.OnTimer(ctx, state);
                break;
        }
    }

    private SensorReading Reading(Lot lot, long atNs)
    {
        var inside = lot.RemovalStartNs < 0 || atNs <= lot.RemovalStartNs;
        return new SensorReading(lot.Index, Present(lot.Index, atNs), inside, 150); // 15.0 °C: a constant; temperature is recorded, not judged (README)
    }

    private void Sensed(INodeContext ctx, int lots) => _s.SensorMessages += (long)lots * options.SensorsPerLot;

    private void PostReadings(INodeContext ctx)
    {
        var now = ctx.Now.Nanos;
        var inStore = _lots.Take(_s.NextLot).Where(l => !_s.Delivered[l.Index]).ToList();
        if (inStore.Count == 0) return;
        _s.LotSecondsMonitored += inStore.Count * (long)options.SensorInterval.TotalSeconds;
        Sensed(ctx, inStore.Count);
        if (options.Batching == SensorBatching.PerWarehouse)
            Submit(ctx, ReceiptContract.Readings(new SensorBatch([.. inStore.Select(l => Reading(l, now))])), "readings", -1, inStore.Count * options.ReadingBytes + 200);
        else
            foreach (var l in inStore)
                Submit(ctx, ReceiptContract.Readings(new SensorBatch([Reading(l, now)])), "readings", l.Index, options.ReadingBytes + 200);
    }

    private void Submit(INodeContext ctx, ContractCall call, string kind, int item, int bytes)
    {
        var tx = client!.Submit(ctx, bytes, call);
        _s.InFlight[tx.Id] = new Pending(tx, kind, item);
        if (kind is "intake" or "readings") _s.SensorTransactions++;
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_s.InFlight.Remove(f.Tx.Id, out var p)) return;
        switch (p.Kind)
        {
            case "intake":
                foreach (var r in book.Receipts.Where(r => r.Lot == p.Item))
                    ctx.SetTimer(Duration.FromNanos(Math.Max(0, r.IssueNs - ctx.Now.Nanos)), new IssueDue(r.Index));
                break;
            case "issue":
                _s.Issued[p.Item] = f.Outcome.Accepted;
                _s.IssuedNs[p.Item] = ctx.Now.Nanos;
                if (!f.Outcome.Accepted) _s.IssueRefused[p.Item] = f.Outcome.Reason;
                break;
            case "readings":
                if (f.Outcome.Accepted && f.Outcome.Reason is { } reason && reason.StartsWith("flagged ", StringComparison.Ordinal))
                    foreach (var part in reason["flagged ".Length..].Split(';'))
                    {
                        var cut = part.IndexOf('>');
                        var lot = int.Parse(part.AsSpan(0, cut), System.Globalization.CultureInfo.InvariantCulture);
                        var bank = part[(cut + 1)..];
                        if (_s.FlaggedNs[lot] < 0) _s.FlaggedNs[lot] = ctx.Now.Nanos;
                        if (bank != "-" && ctx.Directory.TryFind(bank, out var to)) _link.Send(ctx, to, new FlagNotice(lot, ctx.Now.Nanos), 64);
                    }
                break;
        }
    }
}

using System.Globalization;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>A physical lot in a warehouse: who owns it, how heavy it is, when it arrives and, for a
/// remove-goods fraud, when its owner starts taking it out (−1: never).</summary>
public sealed record Lot(int Index, int Warehouse, int Owner, long Kg, long ArrivalNs, FraudKind Fraud, long RemovalStartNs)
{
    /// <summary>Kilograms physically in the bay at <paramref name="atNs"/> (removal is linear over <paramref name="removalTime"/>).</summary>
    public long KgPresent(long atNs, Duration removalTime)
    {
        if (atNs < ArrivalNs) return 0;
        if (RemovalStartNs < 0 || atNs <= RemovalStartNs) return Kg;
        var gone = Math.Min(1.0, (atNs - RemovalStartNs) / (double)Math.Max(1, removalTime.Nanos));
        return (long)Math.Round(Kg * (1 - gone));
    }
}

/// <summary>A warehouse receipt: the first one of a lot is real; a phantom one claims the same goods again.</summary>
public sealed record Receipt(int Index, int Lot, long Kg, bool Phantom, long IssueNs)
{
    public string Id => "WR" + Index.ToString("00000", CultureInfo.InvariantCulture);
}

/// <summary>An owner's loan application to a bank against one receipt (at least an hour after the receipt's issue).</summary>
/// <param name="Fraudulent">The pledge itself is a fraud: a later pledge of a double-pledged receipt, or any pledge of a phantom receipt.</param>
/// <param name="SeparateDiligenceS">Working seconds of due diligence with separate registries (drawn here so both variants share the draw).</param>
/// <param name="OnChainDiligenceS">Working seconds of due diligence on chain.</param>
public sealed record Application(int Index, int Receipt, int Lot, int Bank, int Owner, long AppliedNs, long LoanCny, bool Repays,
    FraudKind Fraud, bool Fraudulent, double SeparateDiligenceS, double OnChainDiligenceS);

/// <summary>
/// The generated events of a run, identical for both registries of a seed: lots (arrival, owner, weight,
/// fraud strategy, removal), receipts (real and phantom), and loan applications (bank, amount, whether the
/// owner repays, both variants' due-diligence draws). Drawn from one stream, <c>warehouse.book</c>.
/// </summary>
public sealed record WarehouseBook(IReadOnlyList<Lot> Lots, IReadOnlyList<Receipt> Receipts, IReadOnlyList<Application> Applications, IReadOnlyList<bool> FraudulentOwners)
{
    public static string Warehouse(int w) => "wh" + (w + 1).ToString("00", CultureInfo.InvariantCulture);
    public static string Bank(int b) => "bank" + (b + 1).ToString("00", CultureInfo.InvariantCulture);
    public static string Owner(int o) => "owner" + (o + 1).ToString("00", CultureInfo.InvariantCulture);

    public static WarehouseBook Generate(WarehouseOptions o, ulong seed)
    {
        var rng = SimRandom.Stream(seed, "warehouse.book");
        var fraudulent = new bool[o.Owners];
        var order = Enumerable.Range(0, o.Owners).OrderBy(_ => rng.NextDouble()).ToList();
        var fraudCount = (int)Math.Round(o.FraudOwnerShare * o.Owners);
        foreach (var i in order.Take(fraudCount)) fraudulent[i] = true;

        var arrivals = Enumerable.Range(0, o.Lots).Select(_ => (long)(rng.NextDouble() * o.ArrivalWindow.Nanos)).Order().ToList();
        var lots = new List<Lot>();
        var receipts = new List<Receipt>();
        var applications = new List<Application>();
        var totalWeight = o.DoublePledgeWeight + o.PhantomWeight + o.RemovalWeight;
        var day = Duration.FromDays(1).Nanos;
        for (int l = 0; l < o.Lots; l++)
        {
            var warehouse = rng.Next(o.Warehouses);
            var owner = rng.Next(o.Owners);
            var kg = Math.Max(1000, (long)Math.Round(o.Tonnage.Sample(rng) * 1000));
            var fraud = FraudKind.None;
            if (fraudulent[owner] && totalWeight > 0)
            {
                var u = rng.NextDouble() * totalWeight;
                fraud = u < o.DoublePledgeWeight ? FraudKind.DoublePledge : u < o.DoublePledgeWeight + o.PhantomWeight ? FraudKind.PhantomReceipts : FraudKind.RemoveGoods;
            }
            var arrival = arrivals[l];
            var applyAfter = Nanos(o.ApplyAfter.Sample(rng));
            var removalStart = fraud == FraudKind.RemoveGoods ? arrival + applyAfter + Nanos(o.RemovalAfter.Sample(rng)) : -1;
            lots.Add(new Lot(l, warehouse, owner, kg, arrival, fraud, removalStart));

            // Receipts: one real; a phantom fraud adds receipts for the same goods up to the multiple (Qingdao: ~3×).
            var count = fraud == FraudKind.PhantomReceipts ? Math.Max(2, (int)Math.Round(o.ReceiptsMultiple)) : 1;
            var lotReceipts = new List<Receipt>();
            for (int k = 0; k < count; k++)
            {
                var r = new Receipt(receipts.Count, l, kg, k > 0, arrival + k * Duration.FromHours(1).Nanos);
                receipts.Add(r);
                lotReceipts.Add(r);
            }
            // Applications: a double pledge sends the one real receipt to several banks, a few days apart;
            // a phantom fraud pledges each receipt to a different bank; everyone else pledges once.
            var banks = Enumerable.Range(0, o.Banks).OrderBy(_ => rng.NextDouble()).ToList();
            var pledges = fraud == FraudKind.DoublePledge
                ? Enumerable.Range(0, Math.Min(o.BanksPerLot, o.Banks)).Select(j => (Receipt: lotReceipts[0], Bank: banks[j], Fraudulent: j > 0)).ToList()
                : lotReceipts.Select((r, j) => (Receipt: r, Bank: banks[j % banks.Count], Fraudulent: r.Phantom)).ToList();
            var at = arrival + applyAfter;
            var repays = fraud == FraudKind.None && !rng.Chance(o.HonestDefaultRate);
            foreach (var (receipt, bank, isFraud) in pledges)
            {
                var loan = (long)Math.Round(o.LoanToValue * receipt.Kg / 1000.0 * o.PricePerTonne);
                applications.Add(new Application(applications.Count, receipt.Index, l, bank, owner, Math.Max(at, receipt.IssueNs + Duration.FromHours(1).Nanos), loan, repays, fraud, isFraud,
                    o.SeparateDueDiligence.Sample(rng), o.OnChainDueDiligence.Sample(rng)));
                at += Nanos(rng.NextExponential(2.0 * day / 1e9));
            }
        }
        return new WarehouseBook(lots, receipts, applications, fraudulent);
    }

    private static long Nanos(double seconds) => (long)Math.Round(Math.Clamp(seconds, 0, 3650.0 * 86400) * 1e9);
}

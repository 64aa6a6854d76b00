using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>Where pledges are registered: each bank's own registry (the traditional baseline) or one receipt contract on chain.</summary>
public enum PledgeRegistry { Separate, OnChain }

/// <summary>How a warehouse's sensor readings reach the chain: one transaction per warehouse gateway per interval, or one per lot.</summary>
public enum SensorBatching { PerWarehouse, PerLot }

/// <summary>What a fraudulent owner does with a lot (none for honest owners).</summary>
public enum FraudKind { None, DoublePledge, PhantomReceipts, RemoveGoods }

/// <summary>
/// A warehouse-receipt pledge scenario (issue 13 part 3). Every default is either sourced (SCENARIOS.md §3,
/// Qingdao 2014) or labelled an assumption in the schema key that sets it (WarehouseReceiptsModel).
/// </summary>
public sealed record WarehouseOptions
{
    /// <summary>Calendar instant of virtual time 0 (banks work 09:00–17:00 on Chinese business days, +08:00).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
    public int Warehouses { get; init; } = 4;
    public int Banks { get; init; } = 8;
    public int Owners { get; init; } = 20;
    public int Lots { get; init; } = 200;
    /// <summary>Lots arrive uniformly over this span.</summary>
    public Duration ArrivalWindow { get; init; } = Duration.FromDays(60);
    /// <summary>Tonnes per lot.</summary>
    public Distribution Tonnage { get; init; } = new LogNormal(Math.Log(2000), 0.5);
    /// <summary>CNY per tonne (whole yuan).</summary>
    public long PricePerTonne { get; init; } = 48_000;
    /// <summary>Loan as a share of the pledged goods' value.</summary>
    public double LoanToValue { get; init; } = 0.7;
    public Duration Tenor { get; init; } = Duration.FromDays(90);
    /// <summary>Seconds from a receipt's issue to the owner's loan application.</summary>
    public Distribution ApplyAfter { get; init; } = new Exponential(2 * 86400);
    /// <summary>Chance an honest owner defaults at maturity (goods then cover the loan).</summary>
    public double HonestDefaultRate { get; init; } = 0.02;

    /// <summary>Share of owners that commit fraud on every lot they own.</summary>
    public double FraudOwnerShare { get; init; } = 0.15;
    /// <summary>Relative weights of the strategies, drawn per fraudulent lot.</summary>
    public double DoublePledgeWeight { get; init; } = 0.4;
    public double PhantomWeight { get; init; } = 0.3;
    public double RemovalWeight { get; init; } = 0.3;
    /// <summary>Double pledge: banks the same receipt is pledged to.</summary>
    public int BanksPerLot { get; init; } = 3;
    /// <summary>Phantom receipts: receipts issued as a multiple of the tonnage in store (Qingdao 2014: ~3×).</summary>
    public double ReceiptsMultiple { get; init; } = 3;
    /// <summary>Remove goods: seconds from the pledge application to the start of the removal.</summary>
    public Distribution RemovalAfter { get; init; } = new Exponential(20 * 86400);
    /// <summary>Remove goods: how long emptying the lot takes (linear).</summary>
    public Duration RemovalTime { get; init; } = Duration.FromDays(5);

    public PledgeRegistry Registry { get; init; } = PledgeRegistry.Separate;
    /// <summary>Bank working seconds (09:00–17:00 business days) from application to the credit decision with separate registries.</summary>
    public Distribution SeparateDueDiligence { get; init; } = new LogNormal(Math.Log(40 * 3600), 0.6);
    /// <summary>The same on chain, where receipt, pledge status and sensor history are read from the ledger.</summary>
    public Distribution OnChainDueDiligence { get; init; } = new LogNormal(Math.Log(2 * 3600), 0.6);
    /// <summary>Separate registries: each bank inspects each lot it holds a pledge on this often (first visit at a random phase).</summary>
    public Duration InspectionInterval { get; init; } = Duration.FromDays(30);
    /// <summary>Chance an inspection that meets a short lot reports it (a colluding warehouse may show other goods).</summary>
    public double InspectionDetects { get; init; } = 0.7;

    public Duration SensorInterval { get; init; } = Duration.FromHours(1);
    /// <summary>Sensors per lot (weight, location, temperature).</summary>
    public int SensorsPerLot { get; init; } = 3;
    /// <summary>A lot lighter than its receipts by more than this share is flagged.</summary>
    public double WeightTolerance { get; init; } = 0.01;
    public int ReadingBytes { get; init; } = 96;
    /// <summary>Contract CPU per reading (device signature check) on every replica.</summary>
    public Duration CpuPerReading { get; init; } = Duration.FromMicros(20);
    public SensorBatching Batching { get; init; } = SensorBatching.PerWarehouse;

    public IReadOnlyList<string> WarehouseRegions { get; init; } = ["qingdao"];
    public IReadOnlyList<string> BankRegions { get; init; } = ["beijing", "shanghai", "qingdao"];

    /// <summary>When every loan has matured and been closed: the last arrival, the latest application, the tenor, plus two weeks.</summary>
    public SimTime SuggestedEnd(WarehouseBook book) =>
        new(book.Applications.Select(a => a.AppliedNs).DefaultIfEmpty(0).Max() + Tenor.Nanos + Duration.FromDays(21).Nanos);
}

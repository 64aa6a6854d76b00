namespace Lab.Finance.Warehousing;

/// <summary>A bank's inspector visits a lot on behalf of pledge <paramref name="Application"/>.</summary>
public sealed record Inspect(int Lot, int Application);
/// <summary>What the inspector found in the bay: kilograms present.</summary>
public sealed record InspectionReport(int Lot, int Application, long Kg);
/// <summary>A bank disposing of a defaulted pledge asks the warehouse to release the goods to it.</summary>
public sealed record TakeDelivery(int Lot, int Application);
/// <summary>The goods released: kilograms (0 when the lot was already delivered to another pledgee, or is gone).</summary>
public sealed record Delivered(int Lot, int Application, long Kg);
/// <summary>On chain: a lot pledged to the receiving bank was flagged by its sensors; <paramref name="FinalNs"/> is when the flag became final.</summary>
public sealed record FlagNotice(int Lot, long FinalNs);

using System.Globalization;
using System.Text;
using Lab.Ledger.Crypto;
using Lab.Sim.Randomness;

namespace Lab.Finance.Insurance;

/// <summary>An insured customer: the insurer, and when (if at all) they opened the on-chain service (−1: never).</summary>
public sealed record Customer(int Index, int Insurer, long OpenedNs);

/// <summary>
/// A hospital visit and everything drawn for its claim, so that both processes see the same draws: the traditional
/// filing delay, document transit, queue, review, chase and the customer's answer, and the on-chain review time.
/// All desk times are seconds of office hours; the others are calendar seconds.
/// </summary>
public sealed record Visit(int Index, int Customer, int Hospital, long AtNs, VisitCategory Category, long AmountFen,
    double FilingDelayS, double TransitS, double BacklogS, double ReviewS, bool Chased, double ChaseResponseS, double ChaseBacklogS, double ChaseReviewS)
{
    public string ClaimId => "C" + Index.ToString("000000", CultureInfo.InvariantCulture);

    /// <summary>The off-chain visit record (what the hospital holds and the insurer receives); only its hash goes on chain.</summary>
    public byte[] Record(InsuranceBook book) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"visit {ClaimId}; patient {InsuranceBook.CustomerName(Customer)}; {InsuranceBook.Hospital(Hospital)}; at {AtNs} ns; {Category}; {AmountFen} fen; insurer {InsuranceBook.Insurer(book.Customers[Customer].Insurer)}"));

    public Hash RecordHash(InsuranceBook book) => Hash.Of(Record(book));
}

/// <summary>
/// The generated customers and visits of a run, identical for both processes of a seed, from one stream
/// (<c>insurance.book</c>). Customers who never opened the service are refused on chain for missing consent and fall
/// back to a paper claim.
/// </summary>
public sealed record InsuranceBook(IReadOnlyList<Customer> Customers, IReadOnlyList<Visit> Visits)
{
    public static string CustomerName(int c) => "cust" + (c + 1).ToString("00000", CultureInfo.InvariantCulture);
    public static string Hospital(int h) => "hospital" + (h + 1).ToString("00", CultureInfo.InvariantCulture);
    public static string Insurer(int i) => "insurer" + (i + 1).ToString("00", CultureInfo.InvariantCulture);
    public const string App = "customer-app", Commission = "health-commission", Exchange = "data-exchange", Bank = "claims-bank";

    /// <summary>The consent fingerprint a customer's app registers: a hash of the signed consent form, never the form.</summary>
    public static Hash ConsentFingerprint(int customer, int insurer) =>
        Hash.Of(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"consent {CustomerName(customer)} to {Insurer(insurer)}: share hospital visit records for claims")));

    public static InsuranceBook Generate(InsuranceOptions o, ulong seed)
    {
        var rng = SimRandom.Stream(seed, "insurance.book");
        var hour = 3_600_000_000_000L;
        // Customers open the service in the first hours of the run, before any visit (visits start on day 1).
        var customers = Enumerable.Range(0, o.Customers)
            .Select(c => new Customer(c, rng.Next(o.Insurers), rng.Chance(o.ConsentShare) ? (long)(rng.NextDouble() * 12 * hour) : -1)).ToList();
        var times = Enumerable.Range(0, o.Visits).Select(_ => 24 * hour + (long)(rng.NextDouble() * o.VisitWindow.Nanos)).Order().ToList();
        var visits = new List<Visit>(o.Visits);
        foreach (var at in times)
        {
            var u = rng.NextDouble();
            var category = u < o.InpatientShare ? VisitCategory.Inpatient : u < o.InpatientShare + o.SpecialShare ? VisitCategory.Special : VisitCategory.Outpatient;
            var cny = (category == VisitCategory.Inpatient ? o.InpatientAmount : o.OutpatientAmount).Sample(rng);
            visits.Add(new Visit(visits.Count, rng.Next(o.Customers), rng.Next(o.Hospitals), at, category,
                Math.Max(100, (long)Math.Round(cny * 100)),
                Seconds(o.FilingDelay.Sample(rng)), Seconds(o.DocumentTransit.Sample(rng)), Seconds(o.Backlog.Sample(rng)), Seconds(o.Review.Sample(rng)),
                rng.Chance(o.ChaseShare), Seconds(o.ChaseResponse.Sample(rng)), Seconds(o.Backlog.Sample(rng)), Seconds(o.Review.Sample(rng))));
        }
        return new InsuranceBook(customers, visits);
    }

    /// <summary>Draws clipped to [0, ten years] (the kernel's nanoseconds stay far from overflow).</summary>
    private static double Seconds(double s) => Math.Clamp(s, 0, 3650.0 * 86400);
}

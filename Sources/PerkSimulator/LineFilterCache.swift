import PerkRuntime

/// The filter bits of the lines of planned baskets (``PlannedBasket``), by the numbers a
/// ``StringTable`` gave their SKU and category: worked out by name
/// (``Program/lineFilters(category:sku:)``, two hashed look-ups) once per distinct pair, not
/// on every line.
///
/// Kept by SKU number with the category it was worked out for: a SKU nearly always comes in
/// one category, and a line whose category differs is worked out again (and kept instead).
/// A cache belongs to one table: its numbers mean nothing in another.
struct LineFilterCache {
  private struct Entry {
    var category: Int32
    var filters: LineFilters
  }

  /// By SKU number plus one (the empty SKU is -1).
  private var bySKU: [Entry?] = []

  /// The filters of a line whose SKU and category have the numbers `sku` and `category` in `strings`.
  mutating func filters(sku: Int32, category: Int32, strings: StringTable, program: Program) -> LineFilters {
    let slot = Int(sku) + 1
    if slot < bySKU.count, let entry = bySKU[slot], entry.category == category { return entry.filters }
    let filters = program.lineFilters(category: strings.string(number: category), sku: strings.string(number: sku))
    if slot >= bySKU.count { bySKU.append(contentsOf: repeatElement(nil, count: slot + 1 - bySKU.count)) }
    bySKU[slot] = Entry(category: category, filters: filters)
    return filters
  }
}

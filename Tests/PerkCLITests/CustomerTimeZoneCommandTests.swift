import Foundation
import PerkTestSupport
import Testing

/// A customer's `timezone` through the built `perk`: `eval --customer` and `sim --customers`.
@Suite struct CustomerTimeZoneCommandTests {
  static let root = PerkExecutable.repositoryRoot()
  static let program = "rules/travel-retailer-local-time.perk"
  /// 03:30 UTC on 1 April: 23:30 on 31 March in New York.
  static let event = #"{"type":"purchase","id":"p1","time":"2026-04-01T03:30:00Z","lines":[{"sku":"guide","category":"books","qty":1,"unit_price":"40.00"}]}"#

  /// Writes `text` to `name` in `dir` and returns its path.
  static func write(_ dir: ScratchDirectory, _ name: String, _ text: String) throws -> String {
    try text.write(toFile: dir.path(name), atomically: true, encoding: .utf8)
    return dir.path(name)
  }

  @Test func evalAnswersTheCalendarInTheCustomersZone() throws {
    let dir = try ScratchDirectory("perk-customer-zones")
    let event = try Self.write(dir, "event.json", Self.event)
    let ana = try Self.write(dir, "ana.json", #"{"id": "ana", "timezone": "America/New_York"}"#)
    let result = try PerkExecutable.run(arguments: ["eval", Self.program, "--event", event, "--customer", ana], currentDirectory: Self.root)
    #expect(result.exitCode == 0)
    #expect(result.stdout.contains(#""rule": "late flight""#))
    let ben = try Self.write(dir, "ben.json", #"{"id": "ben"}"#)
    let plain = try PerkExecutable.run(arguments: ["eval", Self.program, "--event", event, "--customer", ben], currentDirectory: Self.root)
    #expect(plain.exitCode == 0)
    #expect(!plain.stdout.contains("late flight"))
  }

  @Test func evalRefusesAnUnknownZoneWithItsPosition() throws {
    let dir = try ScratchDirectory("perk-customer-zones")
    let event = try Self.write(dir, "event.json", Self.event)
    let ana = try Self.write(dir, "ana.json", "{\"id\": \"ana\",\n \"timezone\": \"America/New_Yrok\"}")
    let result = try PerkExecutable.run(arguments: ["eval", Self.program, "--event", event, "--customer", ana], currentDirectory: Self.root)
    #expect(result.exitCode == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == "error: \(ana):2:14: `timezone`: unknown time zone `America/New_Yrok`; did you mean `America/New_York`?\n")
  }

  @Test func simIsByteIdenticalForAnyThreadCountWithMixedZones() throws {
    let dir = try ScratchDirectory("perk-customer-zones")
    let history = dir.path("history.csv")
    let gen = try PerkExecutable.run(arguments: ["gen", "--customers", "40", "--months", "4", "--seed", "12", "--shape", "grocery", "--out", history])
    #expect(gen.exitCode == 0)
    // Every customer id of the history, in zones round robin (one in four keeps the program's).
    let ids = Set(try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").dropFirst()
      .compactMap { $0.split(separator: ",").first.map(String.init) }).sorted()
    let zones = ["America/New_York", "Asia/Tokyo", "", "Pacific/Auckland"]
    let customers = try Self.write(dir, "customers.csv", "customer,timezone\n"
      + ids.enumerated().map { "\($0.element),\(zones[$0.offset % zones.count])\n" }.joined())
    func run(_ threads: String, customers: String?) throws -> String {
      let result = try PerkExecutable.run(arguments: ["sim", Self.program, "--history", history, "--format", "json", "--threads", threads,
                                                      "--redeem", "rate:0.5"] + (customers.map { ["--customers", $0] } ?? []),
                                          currentDirectory: Self.root)
      #expect(result.exitCode == 0)
      return result.stdout
    }
    let one = try run("1", customers: customers)
    #expect(one.contains("\"format\": \"perk-sim-report/1\""))
    #expect(try run("2", customers: customers) == one)
    #expect(try run("1", customers: nil) != one)
  }

  @Test func simRejectsACustomersRowWithAnUnknownZone() throws {
    let dir = try ScratchDirectory("perk-customer-zones")
    let history = try Self.write(dir, "history.csv", "customer,txn,time,sku,category,qty,unit_price\nana,t1,2026-03-10T12:00:00Z,bag,luggage,1,60.00\n")
    let customers = try Self.write(dir, "customers.csv", "customer,timezone\nana,America/NewYork\n")
    let result = try PerkExecutable.run(arguments: ["sim", Self.program, "--history", history, "--customers", customers, "--threads", "1"],
                                        currentDirectory: Self.root)
    #expect(result.exitCode == 0)
    #expect(result.stderr.contains("warning: customers file: \(customers):2: `timezone`: unknown time zone `America/NewYork`; did you mean `America/New_York`?\n"))
    let strict = try PerkExecutable.run(arguments: ["sim", Self.program, "--history", history, "--customers", customers, "--strict"],
                                        currentDirectory: Self.root)
    #expect(strict.exitCode == 1)
    #expect(strict.stderr == "error: \(customers):2: `timezone`: unknown time zone `America/NewYork`; did you mean `America/New_York`?\n")
  }
}

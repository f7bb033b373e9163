import Foundation
import PerkTestSupport
import Testing

/// Contact through the built `perk`: `eval` lists the messages due, `repl` shows them after an
/// event and a clock move, and `sim` counts and costs the members club's messages in every format.
@Suite struct ContactCommandTests {
  static let root = PerkExecutable.repositoryRoot()
  static let program = "rules/members-club.perk"

  static func write(_ dir: ScratchDirectory, _ name: String, _ text: String) throws -> String {
    try text.write(toFile: dir.path(name), atomically: true, encoding: .utf8)
    return dir.path(name)
  }

  @Test func evalListsTheMessagesOfAPurchaseAndThePeriodEndsBeforeIt() throws {
    let dir = try ScratchDirectory("perk-contact")
    let first = try Self.write(dir, "first.json",
      #"{"type":"purchase","id":"T1","time":"2026-01-10T10:00","lines":[{"sku":"oil change","category":"oil","qty":1,"unit_price":"49.00"}]}"#)
    let customer = try Self.write(dir, "alice.json", #"{"id": "alice", "attributes": {"sms_opt_in": "yes"}}"#)
    let state = dir.path("state.json")
    let bought = try PerkExecutable.run(arguments: ["eval", Self.program, "--event", first, "--customer", customer, "--out-state", state],
                                        currentDirectory: Self.root)
    #expect(bought.exitCode == 0)
    let receipt = ["{", #"  "channel": "receipt","#, #"  "due": "2026-01-10T10:00","#, #"  "rule": "base earn","#,
                   #"  "text": "You have 49 club points (member member)","#, #"  "why": "purchase T1""#, "}"]
    #expect(bought.stdout.contains(#""messages": [\#n"# + receipt.map { "    " + $0 }.joined(separator: "\n")))
    // The next visit, 91 days later: the reminder fell due at 08:00 on day 90 (after quiet hours).
    let second = try Self.write(dir, "second.json",
      #"{"type":"purchase","id":"T2","time":"2026-04-11T10:00","lines":[{"sku":"wiper","category":"parts","qty":1,"unit_price":"20.00"}]}"#)
    let back = try PerkExecutable.run(arguments: ["eval", Self.program, "--event", second, "--customer", customer, "--state", state],
                                      currentDirectory: Self.root)
    #expect(back.exitCode == 0)
    let reminder = [#""channel": "sms","#, #""deferred_from": "2026-04-10T00:00","#, #""due": "2026-04-10T08:00","#,
                    #""rule": "oil change reminder","#,
                    #""text": "It has been 90 days since your last oil change, alice: time to book the next one","#,
                    #""why": "90 days after the last purchase of oil items on 2026-01-10""#]
    #expect(back.stdout.contains(reminder.map { "      " + $0 }.joined(separator: "\n")))
  }

  @Test func replShowsMessagesAfterAnEventAndAClockMove() throws {
    let input = """
      :customer alice
      buy 1 brakes @ 600.00 repair
      :advance 120 days

      """
    let result = try PerkExecutable.run(arguments: ["repl", Self.program, "--at", "2026-01-10T10:00"], stdin: input,
                                        environment: ReplHistory.environment, currentDirectory: Self.root)
    #expect(result.stdout.contains(#"  message via receipt: "You have 600 club points (member member)" (base earn: purchase T1)"#))
    #expect(result.stdout.contains(#"  message via email: "Thanks for trusting us with your car, alice. You now have 600 club points." (big job thanks: purchase T1)"#))
    #expect(result.stdout.contains(#"    message via email due 2026-05-10 08:00: "We miss you, alice! Here is Come back $10 off for your next visit" (we miss you: 120 days after the last purchase on 2026-01-10, deferred from 2026-05-10 00:00)"#))
  }

  @Test func simCountsAndCostsTheMembersClubsMessagesInEveryFormat() throws {
    let dir = try ScratchDirectory("perk-contact")
    let history = dir.path("history.csv")
    let gen = try PerkExecutable.run(arguments: ["gen", "--customers", "60", "--months", "14", "--seed", "3", "--out", history])
    #expect(gen.exitCode == 0)
    var outputs: [String: String] = [:]
    for format in ["text", "json", "csv", "html"] {
      let result = try PerkExecutable.run(arguments: ["sim", Self.program, "--history", history, "--format", format], currentDirectory: Self.root)
      #expect(result.exitCode == 0, "\(format): \(result.stderr)")
      outputs[format] = result.stdout
    }
    #expect(outputs["text"]?.contains("  Messages ") == true)
    #expect(outputs["text"]?.contains("deferred by quiet hours: ") == true)
    #expect(outputs["json"]?.contains(#""by_rule": ["#) == true)
    #expect(outputs["json"]?.contains(#""messages": "#) == true)
    #expect(outputs["csv"]?.split(separator: "\n").first?.hasSuffix("messages_suppressed,messages_deferred") == true)
    #expect(outputs["html"]?.contains("<h2>Messages sent per month</h2>") == true)
    // The cost of the emails sent is in the program's cost by kind.
    #expect(outputs["text"]?.contains("  messages  ") == true)
  }
}

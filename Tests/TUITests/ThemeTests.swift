import Foundation
import Testing
@testable import TUI

@Suite struct ThemeTests {
    static let shipped = try! String(contentsOfFile: Theme.directory() + "/dark.toml", encoding: .utf8)

    @Test func shippedThemesLoadWithDistinctKeyRoles() throws {
        #expect(Theme.available().contains("dark") && Theme.available().contains("high-contrast"))
        for name in Theme.available() {
            let t = try Theme.load(name)
            #expect(t.ramp.count >= 8)
            // Roles a user must tell apart never share a style.
            let apart: [Role] = [.take, .takeHeard, .slotA, .slotB, .selection, .playhead, .status, .statusError]
            #expect(Set(apart.map { t[$0] }).count == apart.count, "theme \(name) draws two key roles alike")
        }
    }

    @Test func errorsNameTheFileAndTheProblem() throws {
        func error(_ toml: String) -> String {
            do { _ = try Theme(toml: toml, path: "x.toml"); return "" } catch { return "\(error)" }
        }
        #expect(error("name = \"x\"\nramp = [1, 2]\n[roles") .contains("x.toml: bad theme:"))
        #expect(error(Self.shipped.replacingOccurrences(of: "[roles.playhead]", with: "[roles.playheadx]")).contains("unknown role 'playheadx'"))
        #expect(error(Self.shipped.replacingOccurrences(of: "fg = 226", with: "fg = 300")).contains("got [300], expected [0–255]"))
        #expect(error(Self.shipped.replacingOccurrences(of: "fg = 226", with: "fg = \"chartreuse\"")).contains("got [\"chartreuse\"]"))
        #expect(error(Self.shipped.replacingOccurrences(of: "ramp = [", with: "rampx = [")).contains("ramp"))
        let missing = Self.shipped.components(separatedBy: "[roles.help]")[0]
        #expect(error(missing).contains("missing [roles.help]"))
        #expect(throws: ThemeError.self) { try Theme.load("no-such-theme") }
    }

    @Test func namedColoursAndDefaults() throws {
        let toml = Self.shipped.replacingOccurrences(of: "[roles.key]\nfg = 221", with: "[roles.key]\nfg = \"bright_yellow\"")
            .replacingOccurrences(of: "[roles.help]\nfg = 252\nbg = 235", with: "[roles.help]\nfg = \"default\"\nbg = \"default\"")
        let t = try Theme(toml: toml, path: "x.toml")
        #expect(t[.key].fg == .index(11))
        #expect(t[.help] == Style())
    }

    @Test func pictureColoursMapToTheNearestTerminalColour() {
        #expect(Color.rgb(0, 0, 0) == .index(16))
        #expect(Color.rgb(255, 255, 255) == .index(231))
        #expect(Color.rgb(255, 0, 0) == .index(196))
        #expect(Color.rgb(128, 128, 128) == .index(244))
    }
}

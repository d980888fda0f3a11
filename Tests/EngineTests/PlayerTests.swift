@testable import Engine
import Foundation
import Media
import TestHelpers
import Testing

@Suite final class PlayerTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-player") }
    deinit { dir.remove() }

    func tone(_ n: Int, _ f: Double) -> [Float] { (0..<n).map { Float(0.4 * sin(2 * Double.pi * f * Double($0) / 22050)) } }

    @Test func playedSamplesReachTheDeviceUnchanged() throws {
        // FORMAT=raw: the file is exactly the sample stream. (With FORMAT=wav alsa-lib labels
        // float data as 32-bit integer PCM in the header.)
        let path = dir.file("played.raw")
        let player = Player(deviceName: "file:FILE=\(path),FORMAT=raw")
        guard case .ready = player.device else { Issue.record("file device did not open: \(player.device)"); return }
        let take = tone(11025, 440)
        player.load(take)
        player.play()
        // ALSA's file device is not paced: the whole take is written almost at once.
        for _ in 0..<400 where player.snapshot().playing { usleep(5000) }
        #expect(!player.snapshot().playing)
        player.stop()
        let bytes = try MediaFixtures.bytes(path)
        let written = bytes.withUnsafeBytes { raw in (0..<(bytes.count / 4)).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
        #expect(written == take)
    }

    @Test func withoutADeviceEverythingElseWorks() {
        let player = Player(deviceName: "hw:99,0", sampleRate: 22050)
        guard case .unavailable(let reason) = player.device else { Issue.record("expected no device"); return }
        #expect(reason.contains("hw:99,0"))
        player.load(tone(22050, 440))
        player.seek(to: 0.5)
        player.play()
        #expect(player.snapshot().playing)
        // Without a device the playhead runs on the clock from the seek point: under load the
        // test thread may read it a few tens of ms later, so only its start is exact.
        let position = player.snapshot().position
        #expect(position >= 0.5 - 1e-3 && position < 0.75, "position \(position)")
        player.pause()
        #expect(!player.snapshot().playing)
        player.stop()
    }

    @Test func abSwitchContinuesFromTheSameFrame() {
        var t = Player.Transport()
        let a = [Float](repeating: 1, count: 1000), b = [Float](repeating: 2, count: 1000)
        t.source = a
        t.playing = true
        var out = [Float](repeating: 0, count: 300)
        _ = out.withUnsafeMutableBufferPointer { t.render(into: $0) }
        #expect(out.allSatisfy { $0 == 1 } && t.frame == 300)
        t.source = b                                   // what switchSource does, under the lock
        _ = out.withUnsafeMutableBufferPointer { t.render(into: $0) }
        #expect(out.allSatisfy { $0 == 2 } && t.frame == 600)
    }

    @Test func loopWrapsInsideTheSelectionAndEndStops() {
        var t = Player.Transport()
        t.source = (0..<100).map(Float.init)
        t.playing = true
        t.loop = 10..<20
        t.frame = 15
        var out = [Float](repeating: 0, count: 12)
        _ = out.withUnsafeMutableBufferPointer { t.render(into: $0) }
        #expect(out == [15, 16, 17, 18, 19, 10, 11, 12, 13, 14, 15, 16])
        t.loop = nil
        t.frame = 95
        let n = out.withUnsafeMutableBufferPointer { t.render(into: $0) }
        #expect(n == 5 && !t.playing)
    }
}

/// A sink that fails on cue: the player's handling of a lost device without a sound card.
final class ScriptedSink: AudioSink, @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }
    let failWrites: Bool
    init(failWrites: Bool) { self.failWrites = failWrites }
    func write(_ frames: UnsafePointer<Float>, count: Int) throws {
        if failWrites { throw Failure(description: "audio device 'scripted': device unplugged (snd_pcm_writei)") }
    }
    func delay() -> Int { 0 }
    func close() {}
}

/// Opens sinks from a script: each open takes the next entry (true = a sink whose writes fail,
/// false = a working sink, nil = the open itself fails).
final class SinkScript: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Bool?]
    private(set) var events: [String] = []
    init(_ entries: [Bool?]) { self.entries = entries }
    func open() throws -> AudioSink {
        lock.lock(); defer { lock.unlock() }
        let next = entries.isEmpty ? false : entries.removeFirst()
        guard let fails = next else { throw ScriptedSink.Failure(description: "audio device 'scripted': no such device (snd_pcm_open)") }
        return ScriptedSink(failWrites: fails)
    }
    func record(_ event: String) { lock.lock(); events.append(event); lock.unlock() }
}

@Suite struct PlayerDeviceErrorTests {
    func run(_ script: SinkScript) -> Player {
        let player = Player(deviceName: "scripted", openSink: { _, _ in try script.open() })
        player.onDeviceEvent = { script.record($0) }
        player.load([Float](repeating: 0.1, count: 22050))
        player.play()
        for _ in 0..<400 where player.snapshot().playing || script.events.isEmpty { usleep(5000) }
        return player
    }

    @Test func aWriteErrorStopsPlaybackSaysSoAndReopensTheDevice() {
        let script = SinkScript([true, false])
        let player = run(script)
        defer { player.stop() }
        #expect(!player.snapshot().playing)
        #expect(player.device == .ready("scripted"))
        #expect(script.events.count == 1 && script.events[0].contains("device unplugged") && script.events[0].contains("reopened"))
        player.play()
        #expect(player.snapshot().playing, "the reopened device plays again")
    }

    @Test func aDeviceThatCannotBeReopenedIsShownUnavailableUntilPlayFindsItAgain() {
        let script = SinkScript([true, nil, false])
        let player = run(script)
        defer { player.stop() }
        guard case .unavailable(let reason) = player.device else { Issue.record("device still shown ready: \(player.device)"); return }
        #expect(reason.contains("device unplugged") && reason.contains("reopening failed") && reason.contains("no such device"))
        #expect(script.events.count == 1 && script.events[0].contains("cannot be reopened"))
        player.play()                                       // the next open in the script works
        #expect(player.device == .ready("scripted"))
    }
}

// Standalone driver for the Binance decoder core (native/core/binance_*.cc), built by
// test/native/md-decoder-sanitizers.test.ts with -fsanitize=address,undefined. Every frame
// and every ring lives in a heap block of exactly its own size, so a read or write past
// either is an ASan report. Checks per call: the status is a known one, nothing outside
// the reported slots changed, the result record agrees with the return value, and every
// written event has a known type and a table instrument.
//
// usage: md_decode_fuzz <corpus> <seed>; corpus = records of [u8 mode][u32 LE length][bytes],
// mode 0 = stream frame, 1 = REST snapshot body. Exit 0 and "every check held" on success.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/binance_md_decoder.h"
#include "core/plain_decimal.h"
#include "core/schema.h"

namespace {

using veloz::md::DecodeResultRecord;
using veloz::md::InstrumentSpec;
using veloz::md::binance::Market;
using veloz::md::binance::MdDecoder;
using veloz::md::binance::RingTarget;

uint64_t g_state = 0;
uint64_t next_u64() {  // splitmix64
  uint64_t z = (g_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

unsigned char canary(size_t i) { return static_cast<unsigned char>(i * 37 + 11); }

int g_failures = 0;
void fail(size_t record, const char* what) {
  if (++g_failures <= 10) std::printf("record %zu: %s\n", record, what);
}

bool known_type(uint8_t t) {
  namespace E = veloz::schema::EventType;
  return t == E::LEVEL_BID || t == E::LEVEL_ASK || t == E::TRADE || t == E::BBO || t == E::SNAPSHOT_BEGIN ||
         t == E::SNAPSHOT_END || t == E::SEQ_ADVANCE;
}

// The fast decimal path against parse_decimal on venue-shaped and odd strings: where
// plain_decimal answers, parse_decimal must say Ok with the same mantissa.
size_t check_plain_decimal(int iterations) {
  size_t answered = 0;
  static const char kAlphabet[] = "0000000001234567899..-e ";
  for (int k = 0; k < iterations; ++k) {
    const size_t n = next_u64() % 26;
    char* text = n > 0 ? new char[n] : nullptr;
    for (size_t i = 0; i < n; ++i) text[i] = next_u64() % 8 == 0 ? kAlphabet[next_u64() % (sizeof kAlphabet - 1)] : static_cast<char>('0' + next_u64() % 10);
    if (n > 2 && next_u64() % 2 == 0) text[next_u64() % n] = '.';
    const int scale = static_cast<int>(next_u64() % 19);
    int64_t fast = 0;
    int64_t slow = 0;
    if (veloz::md::plain_decimal(text, n, scale, &fast)) {
      ++answered;
      if (veloz::parse_decimal(text, n, scale, false, &slow) != veloz::DecimalStatus::Ok || slow != fast) {
        fail(static_cast<size_t>(k), "plain_decimal disagrees with parse_decimal");
      }
    }
    delete[] text;
  }
  return answered;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: md_decode_fuzz <corpus> <seed>\n");
    return 2;
  }
  g_state = std::strtoull(argv[2], nullptr, 10);
  std::FILE* f = std::fopen(argv[1], "rb");
  if (!f) return 2;
  std::vector<unsigned char> corpus;
  unsigned char buf[65536];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) corpus.insert(corpus.end(), buf, buf + n);
  std::fclose(f);

  const std::vector<InstrumentSpec> table = {
      {"BNBBTC", 1, 8, 8}, {"BNBUSDT", 2, 8, 8}, {"btcusdt", 3, 4, 3}, {"BTCUSD_200626", 4, 1, 0}, {"ETHBTC", 5, 6, 4}, {"DOGEUSDT", 0xfffffffe, 18, 0},
  };
  MdDecoder spot(Market::Spot, table, 1 << 16);
  MdDecoder usdm(Market::UsdM, table, 1 << 16);
  size_t records = 0;
  size_t ok = 0;
  for (size_t at = 0; at + 5 <= corpus.size(); ++records) {
    const unsigned mode = corpus[at];
    uint32_t len;
    std::memcpy(&len, &corpus[at + 1], 4);
    at += 5;
    if (at + len > corpus.size()) return 2;
    unsigned char* frame = len > 0 ? new unsigned char[len] : nullptr;
    if (len > 0) std::memcpy(frame, &corpus[at], len);
    at += len;

    const uint64_t capacity = next_u64() % 3 == 0 ? uint64_t{1} << (next_u64() % 7) : 64;
    const size_t ring_bytes = capacity * MdDecoder::kSlotBytes;
    unsigned char* ring = new unsigned char[ring_bytes];
    for (size_t i = 0; i < ring_bytes; ++i) ring[i] = canary(i);
    const uint64_t start = next_u64() % 4 == 0 ? (uint64_t{1} << 53) - 1 - next_u64() % 100 : next_u64() % 1000;
    const RingTarget target{ring, capacity, start, next_u64() % 4 != 0 ? capacity : next_u64() % (capacity + 1)};
    DecodeResultRecord* result = new DecodeResultRecord;
    MdDecoder& d = next_u64() % 2 == 0 ? spot : usdm;
    const int32_t ret = mode == 1 ? d.decode_snapshot(frame, len, static_cast<int>(next_u64() % table.size()), 7, target, result)
                                  : d.decode_stream(frame, len, 7, target, result);

    if (ret < -11 || ret > static_cast<int32_t>(target.free_slots)) fail(records, "return value out of range");
    if (result->status != ret) fail(records, "result.status differs from the return value");
    if (ret >= 0 && result->slots != static_cast<uint32_t>(ret)) fail(records, "result.slots differs from the slot count");
    const uint64_t first = start & (capacity - 1);
    for (uint64_t slot = 0; slot < capacity; ++slot) {
      const uint64_t offset = (slot + capacity - first) & (capacity - 1);  // index within this message
      const bool written = ret > 0 && offset < static_cast<uint64_t>(ret);
      const unsigned char* s = ring + slot * MdDecoder::kSlotBytes;
      if (written) {
        uint32_t instrument;
        std::memcpy(&instrument, s + 4, 4);
        if (!known_type(s[0])) fail(records, "an event of unknown type");
        bool listed = false;
        for (const InstrumentSpec& spec : table) listed |= spec.id == instrument;
        if (!listed) fail(records, "an event for an instrument not in the table");
        continue;
      }
      for (size_t b = 0; b < MdDecoder::kSlotBytes; ++b) {
        if (s[b] != canary(slot * MdDecoder::kSlotBytes + b)) {
          fail(records, "a byte outside the reported slots changed");
          break;
        }
      }
    }
    ok += ret >= 0;
    delete result;
    delete[] ring;
    delete[] frame;
  }
  const size_t answered = check_plain_decimal(2000000);
  std::printf("%zu records, %zu decoded; plain_decimal answered %zu of 2000000\n", records, ok, answered);
  if (g_failures > 0) return 1;
  std::printf("every check held\n");
  return 0;
}

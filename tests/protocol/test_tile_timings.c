/* GET_TILE_TIMINGS payload (docs/protocol.md 6.5): a hand-checked
 * encoding, the round trip, and every malformed length, tile count and
 * layer tile refused. */
#include <string.h>

#include "testlib.h"
#include "xai/protocol.h"

int main(void) {
  xai_proto_layer_tile layers[2] = {
      {.ticks = 100, .link_ticks = 40, .link_wait_ticks = 30,
       .link_bytes = 4096, .tile = 0},
      {.ticks = 7, .tile = 0}};
  xai_proto_tile_timings t;
  memset(&t, 0, sizeof t);
  t.tiles = 2;
  t.compute_tile = 0;
  t.tile[0].compute_ticks = 107;
  t.tile[1].link_ticks = 40;
  t.tile[1].link_bytes = 4096;
  t.layer_count = 2;
  t.layers = layers;
  uint8_t buf[256];
  size_t n = 0;
  xai_error err;
  CHECK_EQ_INT(xai_tile_timings_encode(&t, buf, sizeof buf, &n, &err), XAI_OK);
  CHECK_EQ_INT((int)n, 8 + 2 * 24 + 2 * 32);
  CHECK_EQ_INT(buf[0], 2);
  CHECK_EQ_INT(buf[4], 2);
  CHECK_EQ_INT(buf[8], 107);           /* tile 0 compute */
  CHECK_EQ_INT(buf[8 + 24 + 8], 40);   /* tile 1 link ticks */
  CHECK_EQ_INT(buf[8 + 24 + 17], 16);  /* tile 1 link bytes 0x1000 */
  CHECK_EQ_INT(buf[56 + 24 + 1], 16);  /* layer 0 link bytes */

  xai_proto_layer_tile back[2];
  xai_proto_tile_timings d;
  CHECK_EQ_INT(xai_tile_timings_decode(buf, n, &d, back, 2, &err), XAI_OK);
  CHECK_EQ_INT(d.tiles, 2);
  CHECK_EQ_INT((int)d.layer_count, 2);
  CHECK(d.tile[1].link_bytes == 4096 && d.tile[0].compute_ticks == 107);
  CHECK(back[0].ticks == 100 && back[0].link_ticks == 40 &&
        back[0].link_wait_ticks == 30 && back[0].link_bytes == 4096);
  CHECK(back[1].ticks == 7);

  /* Too few entries for the layers: NO_MEMORY with the count needed. */
  CHECK_EQ_INT(xai_tile_timings_decode(buf, n, &d, back, 1, &err),
               XAI_ERR_NO_MEMORY);
  CHECK_EQ_INT((int)d.layer_count, 2);
  /* Every shorter or longer length is refused. */
  for (size_t k = 0; k < n + 8; k++)
    if (k != n)
      CHECK_EQ_INT(xai_tile_timings_decode(buf, k, &d, back, 2, &err) != XAI_OK,
                   1);
  uint8_t bad[256];
  memcpy(bad, buf, n);
  bad[4] = 0; /* no tiles */
  CHECK(xai_tile_timings_decode(bad, n, &d, back, 2, &err) == XAI_ERR_FORMAT);
  memcpy(bad, buf, n);
  bad[5] = 2; /* compute tile out of range */
  CHECK(xai_tile_timings_decode(bad, n, &d, back, 2, &err) == XAI_ERR_FORMAT);
  memcpy(bad, buf, n);
  bad[56 + 28] = 5; /* layer 0 on tile 5 of 2 */
  CHECK(xai_tile_timings_decode(bad, n, &d, back, 2, &err) == XAI_ERR_FORMAT);
  t.tiles = 9;
  CHECK_EQ_INT(xai_tile_timings_encode(&t, buf, sizeof buf, &n, &err),
               XAI_ERR_ARGUMENT);
  return xai_test_finish("test_proto_tile_timings");
}

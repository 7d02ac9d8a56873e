{
  "targets": [
    {
      "target_name": "veloz_native",
      "sources": [
        "<!@(node -e \"const fs=require('fs');for(const d of ['native/core','native/binding'])for(const f of fs.readdirSync(d).sort())if(f.endsWith('.cc'))console.log(d+'/'+f)\")"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!(node -p \"require('path').dirname(require.resolve('@nozbe/simdjson/src/simdjson.h'))\")",
        "native"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": [
        "-fno-exceptions",
        "-O2",
        "-O0"
      ],
      "cflags_cc!": [
        "-fno-exceptions",
        "-fno-rtti",
        "-std=gnu++17",
        "-std=gnu++1y",
        "-O2",
        "-O0"
      ],
      "cflags": [
        "-O3",
        "-fvisibility=hidden"
      ],
      "cflags_cc": [
        "-std=c++17",
        "-O3",
        "-fexceptions",
        "-fvisibility=hidden",
        "-fvisibility-inlines-hidden",
        "-Wall",
        "-Wextra",
        "-Wno-unused-parameter"
      ],
      "ldflags": [
        "-pthread"
      ]
    },
    {
      "target_name": "veloz_glibc_compat",
      "sources": [
        "native/compat/glibc_compat.cc"
      ],
      "defines": [
        "NAPI_VERSION=8"
      ],
      "cflags_cc": [
        "-std=c++17",
        "-O2",
        "-fvisibility=hidden"
      ]
    }
  ]
}

/**
 * Fixed short clips of a 440 Hz tone (a quarter of a second, mono), for the
 * formats the emulator cannot simply compute: MPEG-2 Layer III at 22,050 Hz
 * and 32 kbps (frames only, no tag), AAC-LC in ADTS at 22,050 Hz, and Opus
 * packets at 48,000 Hz (20 ms each, each prefixed with its length in one
 * byte; pre-skip 312 samples). Data, not code.
 *
 * @module
 */

/** MP3 frames. */
export const MP3_TONE =
  "//NAxAATMGKEP08YAAvW27YIeaZpmmaaHubAhhBxCwHcAjAOwVY4zrZ3jx48ePAQBMHwfB/nOD/hiU9/Kef5Tz/K" +
  "e/o4IA+D7wfBwEAwoMA+D8uBAQ4Pv0e9IAkggwwAALzAIDaT9yb/80LEDhfxcnzVnGgA4mMRgYKfbWDKAuKAoYqm" +
  "xp0GGCwYJWpUBkkIOSDpBXQVn8SYL0F2/HaMKMKTv8YYYYmj1Hr/5kXiSMS6XUv/8vF4xLpdSLxeO/5UJA0JQkDQ" +
  "lRJJG5HJB+8cZIr/80DEChC4Vlh/3QACBBcNjAUJAEJxguLxkmPB9uqJk0N5QIDXkJTzv7Gq9nZbQ1Vavprd/4rg" +
  "b7f7/7P37P6LO3pvv/vcImvv/eqrRjAVAnsvqpkCgAIwCwAfN5cJrgOIiw8qF5pNPv/zQsQiFTj6GEr+xGR0VGo1" +
  "O2t9ns6+nRV+I+jhcsO7eVUwVJn1eVXOy8WeJDjFpOPceVPoc6wlRS5fxbU16Tf96uzS2TAiQzoKgAxf0wAgADMB" +
  "DAODnIzi07kIDjVCJoMKnBARqld9O//zQMQpFPlWEAD+ymRo9r99e/PkHEZmfu3064ai/LXKCb4G+pSyl5JddvYl" +
  "TupJPQN7dcX1U3ue/WOplhRkJZYWANE4wAUAAMA2ANziEDcI54HDipM1vpNP5ir71Vl7KKNqYZV6VY3J//NCxDAR" +
  "ME4UAO/2QOryMdv6raVOnLvs1rhNmyzEFf1eUuAAEh3f3bb/CfMCzK1WlZ0aWpBaTU7a48Vxopdvbf6+R/9b9vq/" +
  "7Eer9GL/r/9VUj/RQT9cyqt2MCKCYy5qQwCAAjAKgDk3//NAxEcMeEJSfg68IFMOQjhAcOGlevNIbZ0u1O2/9n//" +
  "0+Ls/VGub+lPb/a2uyjrZs+MvRbMPtoX9m6A5a6/9byeEzbykvlhS8JgDYBQayWXindACwVm0Cz14VZh6nW6y9W1" +
  "dLP0R93/80LEcBDA+hgi/sRk/o/+7W5d/VuIe1er//uSf+RsAR4MAKACgaASmAyA0YyCBmDKgqJhCAWkYWgAOGpe" +
  "FJRhbYGqYJACgGBhAPhgOgB4YAmAZkwAcrKJABaxJZ///P//d///2VVf9tX/80DEiQ74SiDq5/RAJAATQjEYkFgj" +
  "OAAuodDMCoLEIqABgcLBJn/UaaVmK1JgQ2BA87QCTXA9KYuAjwAXiIgZuA1pAzI8TsH7C3hiHgFJwIAgGggropUV" +
  "7wyAI1DE4j04QI3Mvh65MP/zQsSoEwhaIAFfEAAn8WYOwzHNJkqkO/itCAidyAjjIoQpkXjqjE1Mf+RQ8Th0nzp8" +
  "uGzGSkl0WX//NJomHpAjR53VdJBMARGdBpIECUfM0TpFX5kidpmwLNC9xZItsrp6kExaZH6Fsv/zQMS3JGICeb2b" +
  "oAGV2sRfmEQQIiKpaMjI+5pc99azabWtb9ZW+ytW1mzTwCBp/xKsFXCI8Ij3/pVMQU1FMy4xMDBVVVVVVVVVVVVV" +
  "VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV//NCxIAUYP3IAdhgAFVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV" +
  "VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV";

/** AAC ADTS frames. */
export const AAC_TONE =
  "//FcQCJf/AEeVq5U8j6VVarXcPX1ONrqktuSbkicoQ9iB+e/O+teu9xd0/8v/3+N/xJIGRIv91gobuKRAckohFLS" +
  "UOWRv2yeCw9ZRiKbFFVMFhytCullFLwUdTDIlKSMPATEgD9B868V7K5t2do3W3ZPJWxdvYri2E21jcVjbFYbFYa1" +
  "Ya1O1rG47G2K42Ks2Ks1qs1pSqUqlKpSqUqlKpSqUqlKpSqUqlKpSqUqiSiSiSiSiSiSiSiSiSiSiSiSiSiSiSiS" +
  "iSiSiSiSiSiSiSiSiSiSiSiSiSiSiSiSiSoooooooooooooooooooooooooooooooooooooooooooooooooooooo" +
  "oooooooooooouP/xXEAgX/wBEp7a03O21ETC7MUedN1KL1P/T/ye0u9W6rl8fp//Z/+fvYamkn/H/8X/3/EGuHGT" +
  "P+n/7f/b6qHEkuA7e0owDtZ2dnZ2dnZ2dnZ2nr9TFewnFsBrBsA2gtidCV33tda5tt363Gm2s6NFaZJKKe+U6GCQ" +
  "kJBgaaYJOG5V4BJxFLMtKccGNqmwWEpQlmvLkvL+XrS0tSMTKihiUFAVpACJzcan5I3pTBNdSdcurC55FBPMr8eZ" +
  "cS4hbYJCbxxggXq0a9Wo1z1atDXPVqX1zqreLXrlnhRPayRrSgJ+MnMq1RVqgNdChQY16klvKKL6MDA14GJEr2Le" +
  "53c+Z//xXEAXv/wBKveY4koRVFmhY85nH9vf+PH/8PPvPLitL1UuNJJGqsWqU4ADMzIj14YYeSSlKX/8fgeM2HrO" +
  "UxpI+MwHv7kPj4Az+5DJ8Zhn9yD/wYO+8If+DAe8IyfGYO+8IP8ZgntlD/xmDueEH+AE6NAHxwS8xTwlv4dYPJ4S" +
  "/iKcmXvtI9kveRRIXPJGpYj+kby2o8i14FFoWXw8k7bpd6ToF203W71EZL1UYoDH2qujGcKVLMM1gqL3OP/xXEAc" +
  "X/wA6jeI1mJ5lIqBIehQZCb23Uc//Tx/6/iI4y/HCJWalVKhKH/DIJ+ckpeERsDnYKPL+jJAK3JmGkHAz3fp0s09" +
  "5YvOYvOXBmliO5LzqUFilCrU+fYj2zHoEHLL4jBWGa+TJef+gGDm/RKmAYSO+Qu0LIkxLAIR+nt0FeNsoncOiFdL" +
  "afUvEgNRId8mLeq02WtjpJxvxESIkRCVyRZpgtAzFunVnbzPKot4AO8sGnxsprK+cayZnkIW4zIGmY8F6Sye2M0g" +
  "sYFqVqCYogNRsWRktbvzYrHqCcUBS+D/8VxAFp/8ARhXrgjhLqBFoRCzjKa7f0+f/XV1kZVpEkXFo7pIl17IEEdC" +
  "QpjjOe7bnuLrb10hnQf6QgEhA6yECNbH1D4ljJ1qJOPAJqLd4f39VtzEO4O6OLMUdC5G1tbW1p9n1h/wP1BgeHh6" +
  "4AAAVaHh67AAAdw8PdwAAdw8PfAAMO8Ye7gBg/x/iLb92eWlT5/0Px+Jw+5/i43CfSNCeZHL8VpwFY0UURre0MLW" +
  "JRurUcD/8VxAIf/8AQyfstMSg8204J6RN1OtNuoXL/6/+U641NXepU/4//b/za1q9XLtza/4//tf/IJpxq/X6f0/" +
  "wCSXfHQY/pE4qMccygaDBEQjoNi5xcdF09DJ6Hp6GTxTb99k2+8RvoRgb/bRvsnP3Upa0ptyjnShHIxqIabhKCJD" +
  "JxJGnUk2z8OMq1Dp4QAIzBSZsKJaO3QYJukgm6DBN0GCbt0GJBJy7dBgYJCRJUGJBISHk/KcNsb81pnhqeSZKQH0" +
  "HFFCVwWNV7MTXC8iESKQcNYLtiMLYgjoOI/n4e3AAADh4e8AAYUHh7dgAYfu0iULei1ZAxaWK1atVJk5/4+De/vC" +
  "Pj4A94Qf4A0aA+Yc//FcQAGf/AEYgbRw";

/** Opus packets, each after a one-byte length. */
export const OPUS_TONE =
  "M0iCLrdsVrf0AAHlzZ3tGqbpBeoVkGdipAuSm1xMlTcQQ+vIZSzw/IMw2IfbWQidfiQSoCxIpIhXrJiFA1wmCo7B" +
  "ubzDsOGCMKYzAsvfCw40iJBDvB2yzqaKfBMhm4LYaC1InBtXUV8lo4+vlAWpd0MBEvQoevAezrzXrrrUUejSDgMw" +
  "GE6P86TdD6BWvOgvSJwbUlbOH+oRecH0CD7rXFpwvcNszMmZJLXsOGki/eKfK9ew2e8TsfuI9ZjHPTAjSJwbn3Wc" +
  "/Ekzv8UeB9jh2ny0FCjBEIHfFuXYJoc0VM6AUeAoSJwbV0vdtpSb+GFpoMezjgOlA2yHMo9MkxocR1bnX7bRqluo" +
  "oSm9DDJInBtRtBy/Uk/yQfSNJVH6DAJzp/DKfNMk+/Mbey45H9N4RijsdAiPFOGE5ea4rKwwIDBInBtSVs4jdnvK" +
  "0bfptNoKqiTHPRwKaayHVr6HuzZlMmqsTHYV6Tw8jkCMQ8BSG6AzSJwbUlbOH+oRecGzWBmv+zIBa6A4m/xp7boF" +
  "ZQWQE6li4DzYplBKhm5hN5V812/ZIRpAL0icQQBVtlONMuNhKZ+c4vMqZOXUZ8ronINtiopkH94CuJurY6TTMuTo" +
  "j6Hb2tUgL0ick5dm2lGLicIdGLKBsFbMF9kQgiUHQfro79H5AnTcOWUbghoSdevCbRYchix0Nkick5JWziIqP9/9" +
  "/FUJjuwYXcmj3NatHNj+NlkyPj8XtazOKui6aUK2teDKx6Zuv/QwJLIvgSlInvQ6ipfWYwq6QxMOKIBpFzi85Idh" +
  "WxJDX5KD5VnAimgXJsddyETJlA==";

/** Samples an Opus decoder drops at the start (the encoder's delay). */
export const OPUS_PRE_SKIP = 312;

/** Samples of audio in {@link OPUS_TONE}, at 48,000 Hz, pre-skip included. */
export const OPUS_GRANULES = 12312;

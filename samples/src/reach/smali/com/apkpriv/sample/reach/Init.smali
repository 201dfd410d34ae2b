.class public final Lcom/apkpriv/sample/reach/Init;
.super Ljava/lang/Object;
.source "Init.java"

# Case a, hop 2 of 3.

.field static sDeviceId:Ljava/lang/String;

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static start(Landroid/content/Context;)V
    .registers 2
    invoke-static {p0}, Lcom/apkpriv/sample/reach/Collector;->collect(Landroid/content/Context;)Ljava/lang/String;
    move-result-object v0
    sput-object v0, Lcom/apkpriv/sample/reach/Init;->sDeviceId:Ljava/lang/String;
    return-void
.end method
